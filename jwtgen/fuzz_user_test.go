package jwtgen

import (
	"bytes"
	"errors"
	"net/mail"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// billionLaughs nests aliases so that expanding them would build 10^9
// values from a few hundred bytes.
const billionLaughs = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
roles: *i
`

// hostileUserFiles are inputs meant to make a YAML parser slow, deep or
// confused, each at most maxUserFileSize bytes.
var hostileUserFiles = []struct{ name, input string }{
	{"billion laughs", billionLaughs},
	{"alias roles", "sub: u1\nroles: &r [system.admin]\ngroups: *r\n"},
	{"deep flow nesting", "roles: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n"},
	{"deep block nesting", strings.Repeat("- ", 20000) + "x\n"},
	{"many items", "sub: u1\nroles:\n" + strings.Repeat("  - system.user\n", 4000)},
	{"many keys", strings.Repeat("name: a\n", 8000)},
	{"long key", strings.Repeat("k", 60000) + ": v\n"},
	{"long line", "sub: u1\nroles: [" + strings.Repeat("a,", 30000) + "a]\n"},
	{"many documents", strings.Repeat("---\n", 16000)},
	{"many anchors", "roles: [" + strings.Repeat("&a x,", 10000) + "x]\n"},
	{"unclosed quotes", strings.Repeat("\"", 60000)},
	{"only newlines", strings.Repeat("\n", 65536)},
	{"only crlf", strings.Repeat("\r\n", 32768)},
	{"nested mappings", strings.Repeat("{a: ", 5000) + strings.Repeat("}", 5000) + "\n"},
	{"comment after each", "sub: u1 #c\nroles: #c\n  #c\n  - x #c\n  #c\n#c\n"},
	{"merge key", "<<: {roles: [x]}\nsub: u1\n"},
	{"tags", "sub: !!binary dTE=\nroles: !!seq [!!str x]\ngroups: !custom [a]\n"},
	{"directives", "%YAML 1.1\n%TAG ! tag:example.com,2000:\n---\nsub: u1\nroles: [x]\n"},
	{"utf16 little endian", "\xff\xfer\x00o\x00l\x00e\x00s\x00:\x00 \x00[\x00x\x00]\x00\n\x00"},
	{"bom then utf16 bom", "\ufeff\xff\xfe"},
	{"nul byte", "sub: u1\x00\nroles: [x]\n"},
	{"lone surrogate", "sub: \"\\ud800\"\nroles: [x]\n"},
	{"line separator", "sub: u1\u2028roles: [x]\n"},
	{"next line", "sub: u1\u0085roles: [x]\n"},
	{"lone carriage return", "sub: u1\rroles: [x]\r"},
}

func TestParseUserHostileInputs(t *testing.T) {
	for _, tt := range hostileUserFiles {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			user, _, err := ParseUser([]byte(tt.input), "hostile.yaml")
			elapsed := time.Since(start)

			if elapsed > time.Second {
				t.Errorf("ParseUser took %v, want well under a second", elapsed)
			}

			checkParseUserResult(t, tt.input, user, nil, err)
		})
	}
}

func TestParseUserRejectsBillionLaughs(t *testing.T) {
	_, _, err := ParseUser([]byte(billionLaughs), "laughs.yaml")

	var fileErr *UserFileError
	if !errors.As(err, &fileErr) {
		t.Fatalf("error = %v, want a *UserFileError", err)
	}

	if fileErr.Line != 1 {
		t.Errorf("Line = %d, want 1", fileErr.Line)
	}
}

// FuzzParseUser checks that ParseUser never panics and that every error is
// a one-line *UserFileError. A file that parses must give a user a server
// accepts: a non-blank subject, at least one role without whitespace, and
// values that are valid UTF-8 without control characters.
func FuzzParseUser(f *testing.F) {
	seeds := []string{
		adminUserFile,
		kubeUserFile,
		docsAdminUserFile,
		strings.ReplaceAll(adminUserFile, "\n", "\r\n"),
		"\ufeff" + kubeUserFile,
		"name: Jane\nemail: jane@example.com\nroles: [system.user]\n",
		"name: Zoë 管理者\nsub: zoë\nroles: [system.user]\ngroups: [team-α]\n",
		"sub: u1\nroles: [x]\ngroups: [*]\n",
		"sub: u1\nroles: [x]\ngroups:\n  - *\n",
		"sub: u1\nrole: system.admin\n",
		"sub: u1\nroles: system.admin\nissuer: portworx.com\n",
		"sub: u1\nroles: [system.admn, System.Admin, admin]\n",
		"sub: \"  \"\nroles: [x]\n",
		"sub: u1\nroles: [x]\nsub: u2\n",
		"sub: u1\nroles: [x]\n---\nsub: u2\n",
		"- a\n- b\n",
		"",
		"# only a comment\n",
		"name: |\n  a\n  b\nroles: [x]\n",
		"email: Jane <jane@example.com>\nsub: u1\nroles: [x]\n",
		"name: a\nroles: [x\ngroups: [y]\n",
		"name: a\n\troles: [x]\n",
	}
	for _, seed := range seeds {
		f.Add([]byte(seed))
	}

	for _, tt := range hostileUserFiles {
		f.Add([]byte(tt.input))
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		input := bytes.Clone(data)
		user, notices, err := ParseUser(data, "fuzz.yaml")

		if !bytes.Equal(data, input) {
			t.Fatal("ParseUser changed its input")
		}

		checkParseUserResult(t, string(data), user, notices, err)

		again, againNotices, againErr := ParseUser(data, "fuzz.yaml")
		if !reflect.DeepEqual(user, again) || !reflect.DeepEqual(notices, againNotices) || !reflect.DeepEqual(err, againErr) {
			t.Errorf("ParseUser gave different results for the same input")
		}
	})
}

// checkParseUserResult checks the properties every result of ParseUser
// has. notices may be nil to skip checking them.
func checkParseUserResult(t *testing.T, input string, user User, notices []Notice, err error) {
	t.Helper()

	if err != nil {
		var fileErr *UserFileError
		if !errors.As(err, &fileErr) {
			t.Fatalf("error %v is a %T, want *UserFileError", err, err)
		}

		message := err.Error()
		if strings.ContainsAny(message, "\r\n") {
			t.Errorf("message %q spans more than one line", message)
		}

		if fileErr.Reason == "" {
			t.Errorf("error %q has no reason", message)
		}

		if lines := strings.Count(input, "\n") + 1; fileErr.Line < 0 || fileErr.Line > lines {
			t.Errorf("Line = %d, want 0 to %d", fileErr.Line, lines)
		}

		if user.Subject != "" || user.Roles != nil || user.Groups != nil {
			t.Errorf("User = %+v with an error, want the zero User", user)
		}

		return
	}

	if len(user.Roles) == 0 {
		t.Errorf("Roles = %q, want at least one", user.Roles)
	}

	if user.Groups == nil {
		t.Error("Groups is nil, want an empty slice")
	}

	if strings.TrimSpace(user.Subject) == "" {
		t.Errorf("Subject = %q, want a non-blank value", user.Subject)
	}

	for _, role := range user.Roles {
		if role == "" || strings.IndexFunc(role, unicode.IsSpace) >= 0 {
			t.Errorf("role %q is empty or contains whitespace", role)
		}
	}

	for _, group := range user.Groups {
		if group == "" {
			t.Error("a group is empty")
		}
	}

	values := append([]string{user.Name, user.Email, user.Subject}, user.Roles...)
	for _, value := range append(values, user.Groups...) {
		if !utf8.ValidString(value) {
			t.Errorf("value %q is not valid UTF-8", value)
		}

		if strings.IndexFunc(value, unicode.IsControl) >= 0 {
			t.Errorf("value %q contains a control character", value)
		}
	}

	if user.Email != "" {
		if address, err := mail.ParseAddress(user.Email); err != nil || address.Address != user.Email {
			t.Errorf("Email = %q, which is not a bare address", user.Email)
		}
	}

	for _, notice := range notices {
		if strings.ContainsAny(notice.Message, "\r\n") {
			t.Errorf("notice %q spans more than one line", notice.Message)
		}
	}
}
