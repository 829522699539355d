package secrets

import (
	"strings"
	"testing"
)

func TestMaskOpaque(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"tools: auth0_list_applications, auth0_get_user", "tools: auth0_list_applications, auth0_get_user"},
		{"end of a token: 4fwpMeJf36POk6yJV_adQssw5c done", "end of a token: [4fwp… (26 chars)] done"},
		{"short a1b2c3d4 stays", "short a1b2c3d4 stays"},
		{"/home/user/.config/auth0/config.json", "/home/user/.config/auth0/config.json"},
	} {
		if got := MaskOpaque(tc.in); got != tc.want {
			t.Errorf("MaskOpaque(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRedactKnownPieces(t *testing.T) {
	secret := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.Q0FOQVJZc2lnbmF0dXJlU0VDUkVU"
	var folded []string
	for s := secret; s != ""; {
		n := min(len(s), 20)
		folded = append(folded, s[:n])
		s = s[n:]
	}
	for name, text := range map[string]string{
		"whole":    "token was: " + secret + " ok",
		"folded":   "token was:\n" + strings.Join(folded, "\n") + "\n",
		"cut head": "…" + secret[30:] + "XXXXXXXX",
		"cut tail": "Bearer " + secret[:40],
	} {
		got := RedactKnown(text, []string{secret})
		for i := 0; i+MinKnownPiece <= len(secret); i++ {
			if strings.Contains(got, secret[i:i+MinKnownPiece]) {
				t.Errorf("%s: a %d-char piece at %d is left: %q", name, MinKnownPiece, i, got)
				break
			}
		}
	}
	if got := RedactKnown("nothing to hide here", []string{secret}); got != "nothing to hide here" {
		t.Errorf("RedactKnown changed unrelated text: %q", got)
	}
}
