package bot

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
)

// TestRefreshIsBounded starts more follow-ups at once than Refreshers
// allows: once every goroutine is blocked, exactly that many are running,
// and all of them run in the end.
func TestRefreshIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e, err := New(nil, nil, nil, Options{Refreshers: 2})
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		running, done := 0, 0
		release := make(chan struct{})
		fn := e.refresh(func(ctx context.Context) *Edit {
			mu.Lock()
			running++
			mu.Unlock()
			<-release
			mu.Lock()
			running--
			done++
			mu.Unlock()
			return nil
		})
		for range 10 {
			go fn(context.Background())
		}
		synctest.Wait()
		mu.Lock()
		if running != 2 {
			t.Errorf("%d follow-ups running at once, want 2", running)
		}
		mu.Unlock()
		close(release)
		synctest.Wait()
		if done != 10 {
			t.Errorf("%d follow-ups ran, want 10", done)
		}
	})
}
