package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDocsUpToDate(t *testing.T) {
	docs, err := generate()
	if err != nil {
		t.Fatalf("generate: %v", err)
	}

	for name, want := range docs {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("..", "..", "docs", name)
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("docs/%s: %v; run go generate ./... to create it", name, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("docs/%s differs from what the command definitions generate (first difference at line %d); run go generate ./... and commit the result",
					name, firstDifferentLine(got, want))
			}
		})
	}
}

func TestGenerateCoversCommands(t *testing.T) {
	docs, err := generate()
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	markdown := string(docs[markdownFile])

	tests := []string{
		"pxauth token generate --auth-config FILE",
		"pxauth ctx use NAME | -",
		"pxauth ctx token [options] [NAME]",
		"pxauth config view [options]",
		"pxauth completion bash | zsh | fish",
		"**--kube-secret**",
		"**--quiet, -q**",
		"Exit status:",
	}
	for _, want := range tests {
		if !strings.Contains(markdown, want) {
			t.Errorf("%s does not contain %q", markdownFile, want)
		}
	}
	if man := string(docs[manFile]); !strings.Contains(man, ".TH pxauth 1") {
		t.Errorf("%s has no .TH pxauth 1 header", manFile)
	}
}

// firstDifferentLine returns the 1-based line where a and b first differ.
func firstDifferentLine(a, b []byte) int {
	linesA := strings.Split(string(a), "\n")
	linesB := strings.Split(string(b), "\n")
	for i := range min(len(linesA), len(linesB)) {
		if linesA[i] != linesB[i] {
			return i + 1
		}
	}
	return min(len(linesA), len(linesB)) + 1
}
