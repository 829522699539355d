package doctor

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/auth0mcp/auth0mcp/configfix"
	"github.com/auth0mcp/auth0mcp/internal/ui"
)

// checkBackups reports backups fix-config left next to a config that
// still hold a stored secret: they are plain-text copies of it.
func checkBackups(_ context.Context, st *state) []Result {
	var out []Result
	for _, c := range st.existing() {
		bs, err := configfix.Backups(c.Path)
		if err != nil || len(bs) == 0 {
			continue
		}
		for _, b := range bs {
			bc := configfix.Load(b, c.Client)
			if bc.Root == nil {
				continue
			}
			fs := bc.Audit(st.now).Findings
			if len(fs) == 0 {
				continue
			}
			var fps []string
			for _, f := range fs {
				fps = append(fps, f.Fingerprint)
			}
			out = append(out, Result{Config: c.Path, Status: ui.StatusWarn,
				Detail: fmt.Sprintf("the backup %s holds %d stored secret(s) (fingerprints %s)", b, len(fs), strings.Join(slices.Compact(slices.Sorted(slices.Values(fps))), ", ")),
				Fix:    "Once the fixed config works, delete such backups with: auth0mcp fix-config --purge-backups --config " + ui.ShellQuote(c.Path)})
		}
	}
	if len(out) == 0 {
		out = append(out, Result{Status: ui.StatusOK, Detail: "no backup holding a secret"})
	}
	return out
}
