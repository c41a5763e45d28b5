package contextstore

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestSaveEndpoint(t *testing.T) {
	tests := []struct {
		name     string
		context  string
		endpoint string
		want     string
	}{
		{"update without endpoint keeps", "admin", "", "http://localhost:9001"},
		{"update with endpoint replaces", "admin", "http://px:9001", "http://px:9001"},
		{"new without endpoint", "ops", "", ""},
		{"new with endpoint", "ops", "http://px:9001", "http://px:9001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newStore(t, pxctlFile)
			if _, err := s.Save(Context{Name: tt.context, Endpoint: tt.endpoint}, "tok", StorageFile, false); err != nil {
				t.Fatal(err)
			}

			ctx, err := mustLoad(t, s).Lookup(tt.context)
			if err != nil {
				t.Fatal(err)
			}
			if ctx.Endpoint != tt.want {
				t.Errorf("endpoint = %q, want %q", ctx.Endpoint, tt.want)
			}
		})
	}
}

func TestConcurrentSavesKeepEndpoint(t *testing.T) {
	const rounds, withoutEndpoint = 10, 6
	for round := range rounds {
		path := filepath.Join(t.TempDir(), "contextconfig")
		first := &Store{Path: path, Secrets: newFakeSecrets()}
		if _, err := first.Save(Context{Name: "x", Endpoint: "http://e0"}, "tok", StorageFile, false); err != nil {
			t.Fatal(err)
		}

		var wg sync.WaitGroup
		errs := make(chan error, withoutEndpoint+1)
		for i := range withoutEndpoint + 1 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				endpoint := ""
				if i == withoutEndpoint/2 {
					endpoint = "http://e1"
				}
				s := &Store{Path: path, LockTimeout: 30 * time.Second, Secrets: newFakeSecrets()}
				_, err := s.Save(Context{Name: "x", Endpoint: endpoint}, fmt.Sprintf("tok-%d", i), StorageFile, false)
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}

		ctx, err := mustLoad(t, first).Lookup("x")
		if err != nil {
			t.Fatal(err)
		}
		if ctx.Endpoint != "http://e1" {
			t.Errorf("round %d: endpoint = %q, want http://e1", round, ctx.Endpoint)
		}
	}
}
