package secrets

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestPreview(t *testing.T) {
	cases := []struct{ secret, prefix, want string }{
		{ghp, "ghp_", "ghp_… (40 chars)"},
		{ghp, "", "ghp_… (40 chars)"},
		{"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.", "", "eyJh… (37 chars)"},
		{"hunter2", "", "… (7 chars)"},
		{"12345678", "", "… (8 chars)"},
		{"123456789", "", "1234… (9 chars)"},
		{"sk-abc1234", "sk-", "sk-a… (10 chars)"}, // too short to show a prefix and more
		{"ghp_" + fake(1, 36), "xoxb-", "ghp_… (40 chars)"},
		{"ключ-секрет-длинный", "", "ключ… (19 chars)"},
		{"", "", "… (0 chars)"},
	}
	for _, tc := range cases {
		if got := Preview(tc.secret, tc.prefix); got != tc.want {
			t.Errorf("Preview(%q, %q) = %q, want %q", tc.secret, tc.prefix, got, tc.want)
		}
	}
}

// TestPreviewShowsLittle checks that a preview shows no more of a secret than its vendor
// prefix or 4 characters, for secrets of every length.
func TestPreviewShowsLittle(t *testing.T) {
	s := fake(3, 64)
	for n := 0; n <= len(s); n++ {
		p := Preview(s[:n], "")
		shown, _, _ := strings.Cut(p, "…")
		if len(shown) > 4 || n <= 8 && shown != "" {
			t.Errorf("Preview of %d chars shows %q", n, shown)
		}
	}
}

func TestFingerprint(t *testing.T) {
	// SHA-256("abc") = ba7816bf...
	if got := Fingerprint("abc"); got != "ba7816bf" {
		t.Errorf("Fingerprint(abc) = %q", got)
	}
	if Fingerprint(ghp) == Fingerprint(glpat) || len(Fingerprint("")) != 8 {
		t.Error("fingerprints do not tell secrets apart")
	}
}

// TestHitNeverPrintsSecret formats hits every way a caller might and checks that the
// secret never appears.
func TestHitNeverPrintsSecret(t *testing.T) {
	var hits []Hit
	for _, loc := range []Location{
		env("AUTH0_TOKEN", liveJWT), env("GITHUB_TOKEN", ghp), env("DB_PASSWORD", "hunter2x"),
		arg("", "postgresql://app:wH3X8CyYUuNCAIgiwh@db/x"),
	} {
		hits = append(hits, Scan(loc, testNow)...)
	}
	if len(hits) != 4 {
		t.Fatalf("got %d hits, want 4", len(hits))
	}
	for _, h := range hits {
		var logBuf bytes.Buffer
		slog.New(slog.NewTextHandler(&logBuf, nil)).Info("found", "hit", h, "ptr", &h)
		slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("found", "hit", h)
		js, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		outputs := map[string]string{
			"String": h.String(), "%v": fmt.Sprintf("%v", h), "%+v": fmt.Sprintf("%+v", h),
			"%#v": fmt.Sprintf("%#v", h), "%s": fmt.Sprintf("%s", h), "%q": fmt.Sprintf("%q", h),
			"%x": fmt.Sprintf("%x", h), "ptr %+v": fmt.Sprintf("%+v", &h),
			"slice %v": fmt.Sprint([]Hit{h}), "slice %+v": fmt.Sprintf("%+v", []Hit{h}),
			"map %#v": fmt.Sprintf("%#v", map[string]Hit{"a": h}), "GoString": h.GoString(),
			"struct %+v": fmt.Sprintf("%+v", struct{ H Hit }{h}), "slog": logBuf.String(),
			"json": string(js),
		}
		for how, out := range outputs {
			if strings.Contains(out, h.Secret) {
				t.Errorf("%s of a %s hit prints the secret: %s", how, h.Rule, out)
			}
			if !strings.Contains(out, h.Rule) && how != "json" && how != "%x" {
				t.Errorf("%s of a hit does not name the rule: %s", how, out)
			}
		}
	}
	if got := hits[1].String(); got != "vendor-token ghp_… (40 chars)" {
		t.Errorf("String = %q", got)
	}
}
