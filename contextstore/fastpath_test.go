package contextstore

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// contextName is a context name with the YAML text that writes it.
type contextName struct {
	name, yaml string
}

var generatedNames = []contextName{
	{"admin", "admin"},
	{"dev-eu.1", "dev-eu.1"},
	{"a b", `"a b"`},
	{"it's", `'it''s'`},
	{"true", `"true"`},
	{"123", `"123"`},
	{"x#y", "x#y"},
	{"Grüße", "Grüße"},
	{"q", `'q'`},
	{"null-ish", "null-ish"},
}

// generateFile writes a contextconfig file in one of the layouts pxctl,
// pxc, pxauth or a person might produce, and returns it with its names.
func generateFile(r *rand.Rand) (string, []string) {
	var b strings.Builder
	indent := []string{"  ", "    "}[r.IntN(2)]
	listIndent := []string{"", indent}[r.IntN(2)]

	if r.IntN(2) == 0 {
		b.WriteString("# contexts\n")
	}
	if r.IntN(3) == 0 {
		b.WriteString("version: 1\n")
	}
	b.WriteString("contextconfig:\n")

	perm := r.Perm(len(generatedNames))
	count := 1 + r.IntN(5)
	var names []contextName
	for _, i := range perm[:count] {
		names = append(names, generatedNames[i])
	}

	pointer := func(key string) {
		switch r.IntN(6) {
		case 0: // absent
		case 1:
			fmt.Fprintf(&b, "%s%s:\n", indent, key)
		case 2:
			fmt.Fprintf(&b, "%s%s: \"\"\n", indent, key)
		case 3:
			fmt.Fprintf(&b, "%s%s: %s # chosen\n", indent, key, names[r.IntN(len(names))].yaml)
		default:
			fmt.Fprintf(&b, "%s%s: %s\n", indent, key, names[r.IntN(len(names))].yaml)
		}
	}

	sections := r.Perm(3)
	for _, section := range sections {
		switch section {
		case 0:
			pointer(keyCurrent)
			pointer(keyPrevious)
		case 1:
			if r.IntN(2) == 0 {
				fmt.Fprintf(&b, "%sviewmode: compact\n", indent)
			}
		case 2:
			fmt.Fprintf(&b, "%sconfigurations:\n", indent)
			item := indent + listIndent
			for _, n := range names {
				if r.IntN(3) == 0 {
					fmt.Fprintf(&b, "%s# %s\n", item, n.name)
				}
				fmt.Fprintf(&b, "%s- context: %s\n", item, n.yaml)
				field := item + "  "
				if r.IntN(2) == 0 {
					fmt.Fprintf(&b, "%stoken: eyJhbGciOiJIUzI1NiJ9.%s.sig\n", field, strings.Repeat("x", r.IntN(50)))
				} else {
					fmt.Fprintf(&b, "%stoken: \"\"\n", field)
				}
				fmt.Fprintf(&b, "%sidentity:\n%s%ssubject: s-%d\n", field, field, indent, r.IntN(100))
				fmt.Fprintf(&b, "%sendpoint: http://localhost:9001\n", field)
				if r.IntN(3) == 0 {
					fmt.Fprintf(&b, "%stlsdata:\n%s%scacert: |\n%s%s%sline1\n%s%s%sline2\n", field, field, indent, field, indent, indent, field, indent, indent)
				}
			}
		}
	}
	if r.IntN(3) == 0 {
		b.WriteString("clusters:\n- px1\n")
	}

	plain := make([]string, len(names))
	for i, n := range names {
		plain[i] = n.name
	}
	return b.String(), plain
}

func TestCurrentFastPathMatchesYAML(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		file, _ := generateFile(r)

		fast, ok := scanCurrent([]byte(file))
		if !ok {
			t.Errorf("file %d: fast path fell back:\n%s", i, file)
			continue
		}
		doc, err := parseYAML("contextconfig", []byte(file))
		if err != nil {
			t.Fatalf("file %d: %v\n%s", i, err, file)
		}
		slow, err := currentOf("contextconfig", doc)
		if err != nil {
			t.Fatalf("file %d: %v\n%s", i, err, file)
		}
		if fast != slow {
			t.Errorf("file %d: fast path %q, yaml.v3 %q\n%s", i, fast, slow, file)
		}
	}
}

func TestSwitchPatchMatchesRewrite(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	patched := 0
	for i := range 500 {
		file, names := generateFile(r)
		targets := append([]string{"-", ""}, names...)

		for _, target := range targets {
			fast, slow, ok := switchBothWays(t, file, target)
			if !ok {
				continue
			}
			patched++

			where := fmt.Sprintf("file %d, switch to %q", i, target)
			if !reflect.DeepEqual(generic(t, fast), generic(t, slow)) {
				t.Errorf("%s: patch and rewrite differ\npatch:\n%s\nrewrite:\n%s", where, fast, slow)
			}
			fastCfg := decodeString(t, fast)
			slowCfg := decodeString(t, slow)
			if !sameContexts(fastCfg, slowCfg) {
				t.Errorf("%s: contexts differ\npatch: %+v\nrewrite: %+v", where, fastCfg, slowCfg)
			}
			if rest := removeLines(fast, "current:", "previous:"); rest != removeLines(file, "current:", "previous:") {
				t.Errorf("%s: patch changed other lines:\n%s", where, fast)
			}
		}
	}
	if patched < 1000 {
		t.Errorf("only %d switches were patched", patched)
	}
}

// switchBothWays switches to target ("" for unset) by patching and by
// rewriting the tree. ok is false when the switch fails or changes nothing.
func switchBothWays(t *testing.T, file, target string) (fast, slow string, ok bool) {
	t.Helper()
	data := []byte(file)

	scan, accepted := scanFile(data)
	if !accepted {
		t.Fatalf("scanFile fell back:\n%s", file)
	}
	cfg, err := decodeConfig("contextconfig", scan.doc)
	if err != nil {
		t.Fatalf("%v\n%s", err, file)
	}
	current, previous, err := nextPointers(cfg, target, target == "")
	if err != nil || (current == cfg.Current && previous == cfg.Previous) {
		return "", "", false
	}

	out, patchedOK := patchPointers(data, scan, cfg, current, previous)
	if !patchedOK {
		t.Fatalf("patch failed for current %q previous %q:\n%s", current, previous, file)
	}

	rewritten, err := encode(rewritePointers(t, data, current, previous))
	if err != nil {
		t.Fatal(err)
	}
	return string(out.bytes()), string(rewritten), true
}

// rewritePointers returns the tree of data with the pointers set the way
// Use does when it cannot patch the file.
func rewritePointers(t *testing.T, data []byte, current, previous string) *yaml.Node {
	t.Helper()
	doc, err := parseYAML("contextconfig", data)
	if err != nil {
		t.Fatal(err)
	}
	ed := editor{doc: doc}
	ed.setPointer(keyCurrent, current)
	ed.setPointer(keyPrevious, previous)
	return doc
}

func decodeString(t *testing.T, data string) *Config {
	t.Helper()
	doc, err := parseYAML("contextconfig", []byte(data))
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	cfg, err := decodeConfig("contextconfig", doc)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	return cfg
}

// removeLines drops the lines containing any of the markers.
func removeLines(s string, markers ...string) string {
	var kept []string
	for _, line := range strings.Split(s, "\n") {
		drop := false
		for _, m := range markers {
			if strings.Contains(line, m) {
				drop = true
			}
		}
		if !drop {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}
