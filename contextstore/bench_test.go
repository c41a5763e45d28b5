package contextstore

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// benchFile returns a contextconfig file with n contexts, each with an
// inline token of about 900 bytes, as pxctl writes it.
func benchFile(n int) string {
	var b strings.Builder
	b.WriteString("contextconfig:\n  current: ctx-0\n  configurations:\n")
	token := "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + strings.Repeat("eyJzdWIiOiJ1c2VyIn0", 44) + ".c2lnbmF0dXJl"
	for i := range n {
		fmt.Fprintf(&b, "  - context: ctx-%d\n    token: %s\n    identity:\n      subject: 6f1c2b9e-4d1a-4f5e-9b8a-%012d\n      name: User %d\n      email: user%d@example.com\n    endpoint: http://localhost:9001\n", i, token, i, i, i)
	}
	return b.String()
}

func benchStore(b *testing.B, n int) *Store {
	b.Helper()
	path := filepath.Join(b.TempDir(), "contextconfig")
	writeFile(&testing.T{}, path, benchFile(n))
	return &Store{Path: path, Secrets: newFakeSecrets()}
}

func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{10, 1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s := benchStore(b, n)
			for b.Loop() {
				if _, err := s.Load(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSave(b *testing.B) {
	for _, n := range []int{10, 1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s := benchStore(b, n)
			for b.Loop() {
				if _, err := s.Save(Context{Name: "ctx-1"}, "tok", StorageFile, false); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkUse(b *testing.B) {
	for _, n := range []int{10, 1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s := benchStore(b, n)
			names := []string{"ctx-1", "ctx-2"}
			i := 0
			for b.Loop() {
				if _, err := s.Use(names[i%2]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkCurrent(b *testing.B) {
	for _, n := range []int{10, 1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s := benchStore(b, n)
			for b.Loop() {
				if _, err := s.Current(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParse compares scanFile with yaml.v3 on the same file.
func BenchmarkParse(b *testing.B) {
	data := []byte(benchFile(1000))
	b.Run("scanFile", func(b *testing.B) {
		for b.Loop() {
			if _, ok := scanFile(data); !ok {
				b.Fatal("scanFile fell back")
			}
		}
	})
	b.Run("yaml.v3", func(b *testing.B) {
		for b.Loop() {
			if _, err := parseYAML("contextconfig", data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
