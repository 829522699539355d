package secrets

import "math"

// minEntropyLen is the shortest value the high-entropy rule looks at.
const minEntropyLen = 20

// shannon returns the Shannon entropy of s in bits per byte.
func shannon(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	n := float64(len(s))
	h := 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// charClass groups bytes for looksRandom: lower, upper, digit, other.
func charClass(b byte) int {
	switch {
	case b >= 'a' && b <= 'z':
		return 0
	case b >= 'A' && b <= 'Z':
		return 1
	case b >= '0' && b <= '9':
		return 2
	}
	return 3
}

// looksRandom reports whether s looks machine-generated rather than written by a person:
// it has both letters and digits, its entropy is close to that of a random string of its
// length, and among its letters and digits it changes between lower case, upper case and
// digits often. Words with a version number ("modelcontextprotocol2024",
// "auth0-mcp-server-beta19") change class rarely; random strings change on about 40 % (base
// 36) to 60 % (base 62) of the positions, and fall under 20 % in fewer than 1 in 20 cases.
func looksRandom(s string) bool {
	if len(s) < 16 {
		return false
	}
	letters, digits, changes, prev := 0, 0, 0, -1
	for i := 0; i < len(s); i++ {
		c := charClass(s[i])
		switch c {
		case 0, 1:
			letters++
		case 2:
			digits++
		default:
			continue // separators neither count nor break a run
		}
		if prev >= 0 && c != prev {
			changes++
		}
		prev = c
	}
	if letters == 0 || digits == 0 {
		return false
	}
	return shannon(s) >= entropyThreshold(len(s)) &&
		float64(changes)/float64(letters+digits-1) >= 0.2
}

// entropyThreshold is about the 2nd percentile of the entropy of random lower-case hex
// strings of n bytes (the poorest alphabet tokens use), measured: 3.07 at 20 bytes, 3.37
// at 32 and 3.51 at 40 for the 5th. It grows with n because short strings repeat fewer
// symbols.
func entropyThreshold(n int) float64 {
	return min(3.0+0.022*float64(n-20), 3.45)
}

// entropyCandidate reports whether a whole value is a candidate for the high-entropy rule:
// at least minEntropyLen bytes of letters, digits and "_-+/=" (so no paths with dots,
// domains, versions, e-mail addresses, package specs, file names or URLs), not a flag, not
// a path, not a UUID, and random-looking.
func entropyCandidate(v string) bool {
	if len(v) < minEntropyLen || isUUID(v) {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(isBase64URLByte(c) || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	if v[0] == '/' || v[0] == '-' || v[0] == '=' {
		return false
	}
	return looksRandom(v)
}
