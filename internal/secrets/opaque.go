package secrets

import "strings"

// minOpaqueRun is the shortest run of base64url characters MaskOpaque
// hides.
const minOpaqueRun = 20

// MaskOpaque hides, in text taken from another program's output, every run
// of at least 20 base64url characters (letters, digits, '-' and '_') that
// mixes letters and digits the way keys and tokens do: a piece of a token
// that Redact no longer recognises because the text was cut or wrapped
// through it. Identifiers such as "auth0_list_applications" stay, since
// they hold a digit or two at most. Each run is shown as its Preview.
func MaskOpaque(text string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(text); {
		if !isBase64URLByte(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isBase64URLByte(text[j]) {
			j++
		}
		if run := text[i:j]; j-i >= minOpaqueRun && mixed(run) {
			b.WriteString(text[last:i])
			b.WriteString("[" + Preview(run, "") + "]")
			last = j
		}
		i = j
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// mixed reports whether run has at least two letters, two digits and three
// changes between a letter and a digit.
func mixed(run string) bool {
	letters, digits, changes := 0, 0, 0
	prev := 0 // 1 letter, 2 digit
	for i := 0; i < len(run); i++ {
		c := run[i]
		kind := 0
		switch {
		case c >= '0' && c <= '9':
			digits++
			kind = 2
		case isASCIILetter(c):
			letters++
			kind = 1
		}
		if kind != 0 {
			if prev != 0 && kind != prev {
				changes++
			}
			prev = kind
		}
	}
	return letters >= 2 && digits >= 2 && changes >= 3
}

// MinKnownPiece is the shortest piece of a known secret RedactKnown hides.
const MinKnownPiece = 12

// RedactKnown hides the known secret values in text, whole or in pieces: a
// value folded over several lines, or cut at either end of the text, leaves
// runs of token characters (base64 and '.') that are substrings of it, and
// each such run of at least MinKnownPiece characters (or the part of a run
// that continues or begins the value) is replaced by "[secret]". Values
// shorter than MinKnownPiece are hidden only whole.
func RedactKnown(text string, values []string) string {
	for _, v := range values {
		if len(v) >= 8 && strings.Contains(text, v) {
			text = strings.ReplaceAll(text, v, "[secret]")
		}
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(text); {
		if !isTokenByte(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isTokenByte(text[j]) {
			j++
		}
		a, e := knownPiece(text[i:j], values)
		if e > a {
			b.WriteString(text[last : i+a])
			b.WriteString("[secret]")
			last = i + e
		}
		i = j
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// knownPiece returns the part [a, e) of run that is a piece of one of the
// values: run itself when a value contains it, else the longest start of
// run that ends a value, or end of run that starts one.
func knownPiece(run string, values []string) (a, e int) {
	if len(run) < MinKnownPiece {
		return 0, 0
	}
	for _, v := range values {
		if len(v) < MinKnownPiece {
			continue
		}
		if strings.Contains(v, run) {
			return 0, len(run)
		}
		for k := min(len(run), len(v)) - 1; k >= MinKnownPiece; k-- {
			if strings.HasSuffix(v, run[:k]) {
				return 0, k
			}
			if strings.HasPrefix(v, run[len(run)-k:]) {
				return len(run) - k, len(run)
			}
		}
	}
	return 0, 0
}

func isTokenByte(b byte) bool {
	return isBase64URLByte(b) || b == '.' || b == '+' || b == '/' || b == '='
}
