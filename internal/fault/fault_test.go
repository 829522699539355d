package fault

import (
	"context"
	"testing"
	"time"
)

func TestFaultPoints(t *testing.T) {
	t.Setenv(Env, "a, b=error, c=hang")
	Reset()
	defer Reset()
	if err := At(context.Background(), "none"); err != nil {
		t.Errorf("an unnamed point failed: %v", err)
	}
	for _, p := range []string{"a", "b"} {
		if err := At(context.Background(), p); err == nil {
			t.Errorf("point %s did not fail", p)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := At(ctx, "c"); err != context.DeadlineExceeded {
		t.Errorf("hang returned %v", err)
	}
}

func TestNoFaultsWithoutTheVariable(t *testing.T) {
	t.Setenv(Env, "")
	Reset()
	defer Reset()
	if err := At(context.Background(), "a"); err != nil {
		t.Errorf("got %v", err)
	}
}
