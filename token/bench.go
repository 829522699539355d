package token

import (
	"context"
	"slices"
	"sync"
	"time"
)

// BenchResult is what Bench found, shaped for `token bench --json`:
// a fixed top-level object whose fields may grow.
type BenchResult struct {
	Version int `json:"version"`
	// Chosen is the method the chain would pick, or null when none works.
	Chosen  *string       `json:"chosen"`
	Methods []BenchMethod `json:"methods"`
}

// BenchMethod is one method's row. It never holds a token.
type BenchMethod struct {
	Method string `json:"method"`
	Status Status `json:"status"`
	// DurationMS is the median over the runs, in milliseconds.
	DurationMS float64   `json:"duration_ms"`
	RunsMS     []float64 `json:"runs_ms"`
	// ExpiresAt is RFC 3339, empty when unknown.
	ExpiresAt string `json:"expires_at,omitempty"`
	Domain    string `json:"domain,omitempty"`
	Detail    string `json:"detail,omitempty"`
}

// MinMS gives the fastest run, 0 when there was none.
func (m BenchMethod) MinMS() float64 {
	if len(m.RunsMS) == 0 {
		return 0
	}
	return slices.Min(m.RunsMS)
}

// MaxMS gives the slowest run, 0 when there was none.
func (m BenchMethod) MaxMS() float64 {
	if len(m.RunsMS) == 0 {
		return 0
	}
	return slices.Max(m.RunsMS)
}

// OK reports whether some method gave a usable token.
func (r BenchResult) OK() bool { return r.Chosen != nil }

// Bench tries every source concurrently, runs times each (at least once),
// each run under the source's own deadline; a source that timed out is not
// tried again. The whole call takes about as long as the slowest source.
// Keychain items that could show a dialog are only checked for existence:
// use BenchQuery with Query.Read to read them.
func Bench(ctx context.Context, sources []Source, runs int) BenchResult {
	return BenchQuery(ctx, sources, runs, Query{}, 0)
}

// BenchQuery is Bench with a query (domain, read) and a deadline for
// sources that have none of their own.
func BenchQuery(ctx context.Context, sources []Source, runs int, q Query,
	timeout time.Duration) BenchResult {
	if runs < 1 {
		runs = 1
	}
	rows := make([]BenchMethod, len(sources))
	var wg sync.WaitGroup
	for i, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rows[i] = benchOne(ctx, src, runs, q, timeout)
		}()
	}
	wg.Wait()

	res := BenchResult{Version: 1, Methods: rows}
	for _, row := range rows {
		if row.Status == StatusOK {
			name := row.Method
			res.Chosen = &name
			break
		}
	}
	return res
}

func benchOne(ctx context.Context, src Source, runs int, q Query,
	timeout time.Duration) BenchMethod {
	row := BenchMethod{Method: src.Name(), RunsMS: []float64{}}
	for i := 0; i < runs; i++ {
		a := try(ctx, src, q, timeout)
		row.RunsMS = append(row.RunsMS, millis(a.Duration))
		row.Status, row.Detail = a.Status, a.Detail
		row.Domain, row.ExpiresAt = "", ""
		if a.Status == StatusOK {
			row.Domain = a.Token.Domain
			if !a.Token.ExpiresAt.IsZero() {
				row.ExpiresAt = a.Token.ExpiresAt.UTC().Format(time.RFC3339)
			}
			if a.Token.IsZero() {
				row.Detail = "present; not read, to avoid a keychain dialog"
			} else if a.Token.Origin != "" {
				row.Detail = "from " + a.Token.Origin
			}
		}
		if a.Status == StatusTimeout || ctx.Err() != nil {
			break
		}
	}
	row.DurationMS = median(row.RunsMS)
	return row
}

func millis(d time.Duration) float64 {
	return float64(d.Round(10*time.Microsecond)) / float64(time.Millisecond)
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
