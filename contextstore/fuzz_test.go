package contextstore

import (
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"gopkg.in/yaml.v3"
)

// fuzzSeeds are real files and hostile inputs shared by the fuzz targets.
var fuzzSeeds = []string{
	pxctlFile,
	"",
	"contextconfig:\n  current: \"a b\"\n  previous: 'c'\n  configurations:\n    - context: \"a b\"\n      token: \"\"\n    - context: c\n      token: x\n",
	"contextconfig:\n  current: a\n  configurations:\n  - context: a\n  - context: a\n",
	"contextconfig:\n  current: [a]\n",
	"contextconfig:\n  configurations: {a: 1}\n",
	"contextconfig:\n  configurations:\n  - token: x\n",
	"contextconfig:\n  current: a\n  current: b\n",
	"contextconfig:\n  current: x\n  kubeconfig: \"y\ncurrent: z\"\n",
	"contextconfig:\n  current: a\n---\ncontextconfig:\n  current: b\n",
	"contextconfig: &c\n  current: a\nother: *c\n",
	"contextconfig:\n\tcurrent: a\n",
	"contextconfig:\n  current: |\n    a\n",
	"contextconfig:\n  current: null\n  previous: ~\n",
	"contextconfig:\n  configurations:\n  - context: a\n    pxauth:\n      tokenstorage: keyring\n      issuedat: 1735787045\n      expiresat: \"2025-01-03T03:04:05Z\"\n      roles:\n      - system.admin\n",
	"contextconfig:\n  configurations:\n  - context: a\n    pxauth:\n      tokenstorage: disk\n",
	"contextconfig:\n  current: a # comment\n  configurations:\n  - context: a\n",
	"\ufeffcontextconfig:\n  current: a\n",
	"contextconfig:\n  current: a\r\n",
	"a: 6f1c2b9e-4d1a\nb: 0x1F\nc: 1e5\nd: 2025-01-02t03:04:05z\ne: 0b1\nf: 1_0\n",
}

func FuzzScanFile(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		if _, err := checkScan([]byte(input)); err != nil {
			t.Fatalf("%v\ninput: %q", err, input)
		}
	})
}

func FuzzCurrent(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		fast, ok := scanCurrent([]byte(input))
		if !ok {
			return
		}
		doc, err := parseYAML("contextconfig", []byte(input))
		if err != nil {
			t.Fatalf("fast path gave %q, yaml.v3 failed: %v\ninput: %q", fast, err, input)
		}
		slow, err := currentOf("contextconfig", doc)
		if err != nil {
			t.Fatalf("fast path gave %q, slow path failed: %v\ninput: %q", fast, err, input)
		}
		if fast != slow {
			t.Fatalf("fast path gave %q, slow path %q\ninput: %q", fast, slow, input)
		}
	})
}

// FuzzLoad checks that Load never panics and that a file Load accepts keeps
// its contexts and every other key through a rewrite.
func FuzzLoad(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		path := filepath.Join(t.TempDir(), "contextconfig")
		writeFile(t, path, input)
		s := &Store{Path: path, Secrets: newFakeSecrets()}

		before, err := s.Load()
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("Load error is not a *FileError: %v", err)
			}
			return
		}
		if len(before.Duplicates()) > 0 {
			return
		}

		// Rewrite the tree unchanged, the step every change goes through.
		file, err := s.openLocked(true)
		if err != nil {
			t.Fatal(err)
		}
		doc, _, err := file.parse()
		if err != nil {
			file.unlock()
			t.Fatalf("Load accepted the file, the writer rejects it: %v\ninput: %q", err, input)
		}
		err = file.writeDoc(doc)
		file.unlock()
		if err != nil {
			t.Fatal(err)
		}

		after, err := s.Load()
		if err != nil {
			t.Fatalf("Load after rewrite: %v\ninput: %q\nrewritten: %q", err, input, readString(t, path))
		}
		if !sameContexts(before, after) {
			t.Fatalf("contexts changed in rewrite\nbefore: %+v\nafter: %+v\ninput: %q", before, after, input)
		}

		var want, got any
		if yaml.Unmarshal([]byte(input), &want) != nil {
			return
		}
		if err := yaml.Unmarshal([]byte(readString(t, path)), &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(withoutNaN(want), withoutNaN(got)) {
			t.Fatalf("content changed in rewrite\ninput: %q\nrewritten: %q", input, readString(t, path))
		}
	})
}

// FuzzEncode checks that encode keeps the content of any parsed tree. It
// works in memory, so it runs roughly ten times as many inputs a second as
// FuzzLoad, which writes and syncs a file for each.
func FuzzEncode(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		var want any
		var doc yaml.Node
		if yaml.Unmarshal([]byte(input), &want) != nil || yaml.Unmarshal([]byte(input), &doc) != nil {
			return
		}
		out, err := encode(&doc)
		if err != nil {
			return
		}

		var got any
		if err := yaml.Unmarshal(out, &got); err != nil {
			t.Fatalf("invalid YAML in rewrite: %v\ninput: %q\nrewritten: %q", err, input, out)
		}
		if !reflect.DeepEqual(withoutNaN(want), withoutNaN(got)) {
			t.Fatalf("content changed in rewrite\ninput: %q\nrewritten: %q", input, out)
		}
	})
}

// nanMarker is the value withoutNaN puts in place of NaN.
type nanMarker struct{}

// withoutNaN returns the decoded YAML value v with each NaN replaced by
// nanMarker. NaN is not equal to itself, so reflect.DeepEqual would report
// any two documents with ".nan" in them as different.
func withoutNaN(v any) any {
	switch v := v.(type) {
	case float64:
		if math.IsNaN(v) {
			return nanMarker{}
		}
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = withoutNaN(item)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for key, item := range v {
			out[key] = withoutNaN(item)
		}
		return out
	case map[any]any:
		out := make(map[any]any, len(v))
		for key, item := range v {
			out[withoutNaN(key)] = withoutNaN(item)
		}
		return out
	}
	return v
}

// sameContexts compares two configs, ignoring line numbers.
func sameContexts(a, b *Config) bool {
	if a.Current != b.Current || a.Previous != b.Previous || len(a.Contexts) != len(b.Contexts) {
		return false
	}
	for i := range a.Contexts {
		x, y := a.Contexts[i], b.Contexts[i]
		x.Line, y.Line = 0, 0
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

// FuzzPatchPointers checks the patch that Use and Unset write: for any file
// scanFile accepts and any switch, an accepted patch gives a file that
// yaml.v3 reads as the original with only the two pointers changed.
func FuzzPatchPointers(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "a")
		f.Add(s, "-")
		f.Add(s, "")
	}
	f.Add("contextconfig:\n  configurations:\n  - context: a\n  - context: b\n  current: a\n  previous:\n", "")
	f.Add("contextconfig:\n  current: a\n  previous:\n  other: |\n    x\n  configurations:\n  - context: a\n  - context: b\n", "b")
	f.Fuzz(func(t *testing.T, input, target string) {
		data := []byte(input)
		scan, ok := scanFile(data)
		if !ok {
			return
		}
		cfg, err := decodeConfig("contextconfig", scan.doc)
		if err != nil {
			return
		}
		current, previous, err := nextPointers(cfg, target, target == "")
		if err != nil || (current == cfg.Current && previous == cfg.Previous) {
			return
		}

		p, ok := patchPointers(data, scan, cfg, current, previous)
		if !ok {
			return
		}
		patched := p.bytes()

		doc, err := parseYAML("contextconfig", patched)
		if err != nil {
			t.Fatalf("patched file does not parse: %v\ninput: %q\npatched: %q", err, input, patched)
		}
		got, err := decodeConfig("contextconfig", doc)
		if err != nil {
			t.Fatalf("patched file does not decode: %v\ninput: %q\npatched: %q", err, input, patched)
		}
		if got.Current != current || got.Previous != previous {
			t.Fatalf("pointers are %q and %q, want %q and %q\ninput: %q\npatched: %q", got.Current, got.Previous, current, previous, input, patched)
		}
		wantCfg := *cfg
		wantCfg.Current, wantCfg.Previous = current, previous
		if !sameContexts(got, &wantCfg) {
			t.Fatalf("contexts changed\ninput: %q\npatched: %q", input, patched)
		}

		// The whole tree matches the rewrite of Use's slow path. Files
		// with duplicate keys outside contextconfig have no plain value.
		rewrite := rewritePointers(t, data, current, previous)
		var want, have any
		if rewrite.Decode(&want) != nil {
			return
		}
		if err := doc.Decode(&have); err != nil {
			t.Fatalf("patched file has no plain value: %v\ninput: %q\npatched: %q", err, input, patched)
		}
		if !reflect.DeepEqual(withoutNaN(have), withoutNaN(want)) {
			t.Fatalf("patched file differs from the rewrite\ninput: %q\npatched: %q", input, patched)
		}
	})
}
