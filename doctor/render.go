package doctor

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/auth0mcp/auth0mcp/configfix"
	"github.com/auth0mcp/auth0mcp/internal/ui"
)

// WriteJSON writes the report as one JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// Render writes the report for a person: one group per config, one line
// per result with its fix under it, and a summary line. verbose adds each
// check's duration.
func (r *Report) Render(s *ui.Stream, verbose bool) {
	// One group per config that exists (or was named); results about a
	// config that is not there, and about the machine, go under General.
	shown := map[string]bool{}
	for _, c := range r.Configs {
		if c.Exists || c.Given {
			shown[c.Path] = true
		}
	}
	groups := map[string][]Result{}
	var global []Result
	for _, c := range r.Checks {
		if c.Config == "" || !shown[c.Config] {
			global = append(global, c)
			continue
		}
		groups[c.Config] = append(groups[c.Config], c)
	}
	for _, c := range r.Configs {
		if !shown[c.Path] {
			continue
		}
		head := fmt.Sprintf("%s  %s", clientName(c.Client), c.Path)
		if c.Project {
			head = fmt.Sprintf("%s (project)  %s", clientName(c.Client), c.Path)
		}
		if c.Target != "" {
			head += " → " + c.Target
		}
		fmt.Fprintln(s, s.Bold(ui.Sanitize(head)))
		for _, x := range groups[c.Path] {
			renderResult(s, x, verbose)
		}
		fmt.Fprintln(s)
	}
	if len(global) > 0 {
		fmt.Fprintln(s, s.Bold("General"))
		for _, x := range global {
			renderResult(s, x, verbose)
		}
		fmt.Fprintln(s)
	}
	sum := r.Summary
	line := fmt.Sprintf("%d ok, %d warn, %d fail, %d skip", sum.OK, sum.Warn, sum.Fail, sum.Skip)
	if sum.Timeout > 0 {
		line += fmt.Sprintf(" (%d timed out)", sum.Timeout)
	}
	if r.TimedOut {
		line += "; the run reached its --timeout"
	}
	verdict := s.Color(ui.StatusOK, "no problem found")
	if !r.OK {
		verdict = s.Color(ui.StatusFail, "problems found")
	}
	fmt.Fprintf(s, "%s: %s\n", verdict, line)
}

func renderResult(s *ui.Stream, x Result, verbose bool) {
	detail := x.Detail
	if x.Server != "" && !strings.Contains(detail, fmt.Sprintf("%q", x.Server)) {
		detail = fmt.Sprintf("[%s] %s", x.Server, detail)
	}
	lines := strings.Split(detail, "\n")
	title := x.Title
	if verbose {
		title += fmt.Sprintf(" (%d ms)", x.DurationMS)
	}
	fmt.Fprintf(s, "  %s %s: %s\n", s.Mark(x.Status), title, ui.Sanitize(lines[0]))
	indent := "    "
	if !s.Styled() {
		indent = "          "
	}
	for _, l := range lines[1:] {
		fmt.Fprintf(s, "%s%s\n", indent, s.Faint(ui.Sanitize(strings.TrimSpace(l))))
	}
	if x.Fix != "" && x.Status != ui.StatusOK {
		fmt.Fprintf(s, "%s%s %s\n", indent, s.Color(x.Status, "fix:"), ui.Sanitize(x.Fix))
	}
}

func clientName(c string) string {
	if cl := configfix.ClientNamed(c); cl != nil {
		return cl.Title
	}
	return c
}
