package jwtgen

import (
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"
)

// The Portworx documentation's example user files, with the placeholders
// that are not valid filled in.
const (
	adminUserFile = `name: Storage Administrator
email: admin@example.com
sub: 9f0ad3c6-2a4c-4b43-9d27-93a3c7a1d4a5
roles: ["system.admin"]
groups: ["*"]
`
	kubeUserFile = `name: Kubernetes User
email: kube@example.com
sub: kube@example.com
roles: ["system.user"]
groups: ["kubernetes"]
`
	// docsAdminUserFile is the example exactly as the documentation
	// prints it, placeholders included.
	docsAdminUserFile = `name: Storage Administrator
email: the email of the storage admin
sub: ${uuid} or email of the storage admin
roles: ["system.admin"]
groups: ["*"]
`
)

func derivedSubject(name, email string) string {
	return base64.StdEncoding.EncodeToString([]byte("openstorage.io/" + name + "/" + email))
}

func TestParseUserValid(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  User
	}{
		{
			name:  "admin example",
			input: adminUserFile,
			want: User{Name: "Storage Administrator", Email: "admin@example.com", Subject: "9f0ad3c6-2a4c-4b43-9d27-93a3c7a1d4a5",
				Roles: []string{"system.admin"}, Groups: []string{"*"}},
		},
		{
			name:  "kube example",
			input: kubeUserFile,
			want: User{Name: "Kubernetes User", Email: "kube@example.com", Subject: "kube@example.com",
				Roles: []string{"system.user"}, Groups: []string{"kubernetes"}},
		},
		{
			name:  "block lists",
			input: "sub: u1\nroles:\n  - system.user\n  - team.reader\ngroups:\n- a\n- b\n",
			want:  User{Subject: "u1", Roles: []string{"system.user", "team.reader"}, Groups: []string{"a", "b"}},
		},
		{
			name:  "scalar roles and groups",
			input: "sub: u1\nroles: system.admin\ngroups: '*'\n",
			want:  User{Subject: "u1", Roles: []string{"system.admin"}, Groups: []string{"*"}},
		},
		{
			name:  "missing groups",
			input: "sub: u1\nroles: [system.view]\n",
			want:  User{Subject: "u1", Roles: []string{"system.view"}, Groups: []string{}},
		},
		{
			name:  "null groups",
			input: "sub: u1\nroles: [system.view]\ngroups:\n",
			want:  User{Subject: "u1", Roles: []string{"system.view"}, Groups: []string{}},
		},
		{
			name:  "empty flow groups",
			input: "sub: u1\nroles: [system.view]\ngroups: []\n",
			want:  User{Subject: "u1", Roles: []string{"system.view"}, Groups: []string{}},
		},
		{
			name:  "crlf",
			input: "name: Jane\r\nemail: jane@example.com\r\nsub: u1\r\nroles:\r\n  - system.user\r\ngroups: [\"a\"]\r\n",
			want:  User{Name: "Jane", Email: "jane@example.com", Subject: "u1", Roles: []string{"system.user"}, Groups: []string{"a"}},
		},
		{
			name:  "byte order mark",
			input: "\ufeffsub: u1\nroles: [system.user]\n",
			want:  User{Subject: "u1", Roles: []string{"system.user"}, Groups: []string{}},
		},
		{
			name:  "utf8 values",
			input: "name: Zoë 管理者\nsub: zoë\nroles: [system.user]\ngroups: [team-α, \"Domain Admins\"]\n",
			want:  User{Name: "Zoë 管理者", Subject: "zoë", Roles: []string{"system.user"}, Groups: []string{"team-α", "Domain Admins"}},
		},
		{
			name:  "non-string scalars",
			input: "name: 123\nsub: 0x1F\nroles: [1.0, yes]\n",
			want:  User{Name: "123", Subject: "0x1F", Roles: []string{"1.0", "yes"}, Groups: []string{}},
		},
		{
			name:  "quoted keys",
			input: "\"sub\": u1\n'roles': [system.user]\n",
			want:  User{Subject: "u1", Roles: []string{"system.user"}, Groups: []string{}},
		},
		{
			name:  "document markers and comments",
			input: "# admin\n---\nsub: u1 # owner\nroles: [system.user] # access\n...\n",
			want:  User{Subject: "u1", Roles: []string{"system.user"}, Groups: []string{}},
		},
		{
			name:  "flow mapping",
			input: "{sub: u1, roles: [system.user]}\n",
			want:  User{Subject: "u1", Roles: []string{"system.user"}, Groups: []string{}},
		},
		{
			name:  "null email",
			input: "email: ~\nsub: u1\nroles: [system.user]\n",
			want:  User{Subject: "u1", Roles: []string{"system.user"}, Groups: []string{}},
		},
		{
			name:  "quoted spaces kept",
			input: "name: \" Jane \"\nsub: \" u1\"\nroles: [system.user]\n",
			want:  User{Name: " Jane ", Subject: " u1", Roles: []string{"system.user"}, Groups: []string{}},
		},
		{
			name:  "derived subject",
			input: "name: Jane\nemail: jane@example.com\nroles: [system.user]\n",
			want: User{Name: "Jane", Email: "jane@example.com", Subject: derivedSubject("Jane", "jane@example.com"),
				Roles: []string{"system.user"}, Groups: []string{}},
		},
		{
			name:  "derived subject from empty sub",
			input: "name: Jane\nsub: \"\"\nroles: [system.user]\n",
			want:  User{Name: "Jane", Subject: derivedSubject("Jane", ""), Roles: []string{"system.user"}, Groups: []string{}},
		},
		{
			name:  "derived subject from email only",
			input: "email: jane@example.com\nsub: ~\nroles: [system.user]\n",
			want:  User{Email: "jane@example.com", Subject: derivedSubject("", "jane@example.com"), Roles: []string{"system.user"}, Groups: []string{}},
		},
		{
			name:  "utf8 email",
			input: "email: zoë@example.com\nsub: u1\nroles: [system.user]\n",
			want:  User{Email: "zoë@example.com", Subject: "u1", Roles: []string{"system.user"}, Groups: []string{}},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := ParseUser([]byte(tt.input), "user.yaml")
			if err != nil {
				t.Fatalf("ParseUser: unexpected error: %v", err)
			}

			if got.Name != tt.want.Name {
				t.Errorf("Name = %q, want %q", got.Name, tt.want.Name)
			}

			if got.Email != tt.want.Email {
				t.Errorf("Email = %q, want %q", got.Email, tt.want.Email)
			}

			if got.Subject != tt.want.Subject {
				t.Errorf("Subject = %q, want %q", got.Subject, tt.want.Subject)
			}

			if !slices.Equal(got.Roles, tt.want.Roles) {
				t.Errorf("Roles = %q, want %q", got.Roles, tt.want.Roles)
			}

			if got.Groups == nil {
				t.Errorf("Groups is nil, want an empty slice")
			}

			if !slices.Equal(got.Groups, tt.want.Groups) {
				t.Errorf("Groups = %q, want %q", got.Groups, tt.want.Groups)
			}
		})
	}
}

func TestParseUserDerivedSubjectValue(t *testing.T) {
	// Computed independently: base64 of "openstorage.io/Jane/jane@example.com".
	const want = "b3BlbnN0b3JhZ2UuaW8vSmFuZS9qYW5lQGV4YW1wbGUuY29t"

	got, _, err := ParseUser([]byte("name: Jane\nemail: jane@example.com\nroles: [system.user]\n"), "user.yaml")
	if err != nil {
		t.Fatalf("ParseUser: unexpected error: %v", err)
	}

	if got.Subject != want {
		t.Errorf("Subject = %q, want %q", got.Subject, want)
	}
}

func TestParseUserErrors(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		wantLine int
		wantKey  string
		// wantText lists words the message must contain: the reason, the
		// value and the fix.
		wantText []string
	}{
		{"unknown key role", "sub: u1\nrole: system.admin\n", 2, "role",
			[]string{`unknown key "role"`, `did you mean "roles"?`}},
		{"unknown key group", "sub: u1\nroles: [x]\ngroup: [a]\n", 3, "group",
			[]string{`unknown key "group"`, `did you mean "groups"?`}},
		{"unknown key mail", "mail: a@example.com\n", 1, "mail",
			[]string{`unknown key "mail"`, `did you mean "email"?`}},
		{"unknown key e-mail", "e-mail: a@example.com\n", 1, "e-mail",
			[]string{`unknown key "e-mail"`, `did you mean "email"?`}},
		{"unknown key subject", "subject: u1\n", 1, "subject",
			[]string{`unknown key "subject"`, `did you mean "sub"?`}},
		{"unknown key username", "username: jane\n", 1, "username",
			[]string{`unknown key "username"`, `did you mean "name"?`}},
		{"unknown key capitalised", "Name: jane\n", 1, "Name",
			[]string{`unknown key "Name"`, `did you mean "name"?`}},
		{"unknown key swapped letters", "rolse: [x]\n", 1, "rolse",
			[]string{`did you mean "roles"?`}},
		{"unknown key misspelt", "grups: [x]\n", 1, "grups",
			[]string{`did you mean "groups"?`}},
		{"unknown key unrelated", "sub: u1\ncolour: red\n", 2, "colour",
			[]string{`unknown key "colour"`, "name, email, sub, roles and groups"}},
		{"unknown key short", "ab: 1\n", 1, "ab",
			[]string{`unknown key "ab"`, "name, email, sub, roles and groups"}},
		{"issuer key", "sub: u1\nroles: [x]\nissuer: portworx.com\n", 3, "issuer",
			[]string{`"issuer"`, "--issuer", "remove the line"}},
		{"iss key", "iss: portworx.com\n", 1, "iss",
			[]string{`"iss"`, "--issuer"}},
		{"exp key", "exp: 1700000000\n", 1, "exp",
			[]string{`"exp"`, "--token-duration"}},

		{"unquoted star flow", "sub: u1\nroles: [x]\ngroups: [*]\n", 3, "groups",
			[]string{"unquoted *", "alias", `groups: ["*"]`}},
		{"unquoted star first line", "groups: [*]\nroles: [x]\n", 1, "groups",
			[]string{"unquoted *", `groups: ["*"]`}},
		{"unquoted star block", "sub: u1\nroles: [x]\ngroups:\n  - *\n", 4, "groups",
			[]string{"unquoted *", `groups: ["*"]`}},
		{"unquoted star scalar", "sub: u1\nroles: [x]\ngroups: *\n", 3, "groups",
			[]string{"unquoted *", `groups: ["*"]`}},
		{"unquoted star after item", "sub: u1\nroles: [x]\ngroups: [\"a\", *]\n", 3, "groups",
			[]string{"unquoted *"}},
		{"unquoted star roles", "sub: u1\nroles: [*]\n", 2, "roles",
			[]string{"unquoted *", `"*"`}},
		{"unquoted star crlf", "sub: u1\r\nroles: [x]\r\ngroups: [*]\r\n", 3, "groups",
			[]string{`groups: ["*"]`}},

		{"indented key", "name: a\n email: b\n", 2, "",
			[]string{"invalid YAML", `":"`}},
		{"tab indentation", "name: a\nroles:\n\t- x\n", 3, "",
			[]string{"invalid YAML", "tab", "spaces"}},
		{"unclosed list", "name: a\nroles: [x\ngroups: [y]\n", 2, "",
			[]string{"invalid YAML", "[", "close it with ]"}},
		{"unclosed list first line", "roles: [x, y\n", 1, "",
			[]string{"invalid YAML", "close it with ]"}},
		{"unclosed mapping", "name: a\nroles: {x\n", 2, "",
			[]string{"invalid YAML", "close it with }"}},
		{"unclosed quote", "name: a\nemail: \"b\nsub: c\n", 2, "",
			[]string{"invalid YAML", "quoted value is not closed"}},
		{"misaligned list", "name: a\nroles:\n  - x\n - y\n", 4, "",
			[]string{"invalid YAML", "indentation"}},
		{"stray list item", "name: a\n- b\n", 2, "",
			[]string{"invalid YAML", "indentation"}},
		{"extra closing bracket", "name: a\nsub: [a]]\n", 2, "",
			[]string{"invalid YAML"}},
		{"line without colon", "name: a\nb\nroles: [x]\n", 2, "",
			[]string{"invalid YAML", "key: value"}},
		{"item after key", "name: a\nroles: - x\n", 2, "",
			[]string{"invalid YAML", "own line"}},
		{"reserved character", "name: a\nroles: @x\n", 2, "",
			[]string{"invalid YAML", "quotes"}},
		{"undefined tag handle", "name: a\nroles: !foo!bar x\n", 2, "",
			[]string{"invalid YAML", "tag handle"}},

		{"roles mapping", "sub: u1\nroles: {a: b}\n", 2, "roles",
			[]string{"roles is a mapping", `roles: ["system.user"]`}},
		{"roles nested list", "sub: u1\nroles:\n  - [a, b]\n", 3, "roles",
			[]string{"item of roles is a list", `roles: ["system.user"]`}},
		{"groups item mapping", "sub: u1\nroles: [x]\ngroups:\n  - a: b\n", 4, "groups",
			[]string{"item of groups is a mapping"}},
		{"name list", "name: [a, b]\n", 1, "name",
			[]string{"name is a list", "name: value"}},
		{"sub mapping", "sub:\n  id: 1\n", 2, "sub",
			[]string{"sub is a mapping"}},
		{"email list", "email: [a@example.com]\n", 1, "email",
			[]string{"email is a list"}},

		{"missing roles", "sub: u1\ngroups: [a]\n", 0, "roles",
			[]string{"missing roles", "denied every call", `roles: ["system.user"]`}},
		{"empty roles flow", "sub: u1\nroles: []\n", 2, "roles",
			[]string{"empty roles", "denied every call", `roles: ["system.user"]`}},
		{"null roles", "sub: u1\nroles:\n", 2, "roles",
			[]string{"empty roles", "denied every call"}},
		{"empty role string", "sub: u1\nroles: \"\"\n", 2, "roles",
			[]string{"empty role"}},
		{"empty role item", "sub: u1\nroles: [system.user, \"\"]\n", 2, "roles",
			[]string{"empty role"}},
		{"null role item", "sub: u1\nroles:\n  - system.user\n  -\n", 4, "roles",
			[]string{"empty role"}},
		{"role with space", "sub: u1\nroles: [\"system admin\"]\n", 2, "roles",
			[]string{`role "system admin" contains whitespace`, "no spaces"}},
		{"role with trailing space", "sub: u1\nroles: [\"system.admin \"]\n", 2, "roles",
			[]string{`"system.admin "`, "whitespace"}},
		{"role with newline escape", "sub: u1\nroles: [\"a\\nb\"]\n", 2, "roles",
			[]string{`"a\nb"`}},
		{"empty group", "sub: u1\nroles: [x]\ngroups: [a, \"\"]\n", 3, "groups",
			[]string{"empty group", "groups: []"}},
		{"empty group string", "sub: u1\nroles: [x]\ngroups: ''\n", 3, "groups",
			[]string{"empty group"}},

		{"missing subject", "roles: [system.user]\n", 0, "sub",
			[]string{"missing sub", "name or email", "UUID"}},
		{"missing subject with empty values", "name: \"\"\nemail: ~\nsub: \"\"\nroles: [x]\n", 3, "sub",
			[]string{"missing sub"}},
		{"blank subject", "sub: \"  \"\nroles: [x]\n", 1, "sub",
			[]string{"sub is blank", "UUID"}},
		{"tab subject", "sub: \"\\t\"\nroles: [x]\n", 1, "sub",
			[]string{"control character"}},

		{"placeholder email", docsAdminUserFile, 2, "email",
			[]string{`invalid email "the email of the storage admin"`, "jane@example.com"}},
		{"email with display name", "email: Jane <jane@example.com>\nsub: u1\nroles: [x]\n", 1, "email",
			[]string{`invalid email "Jane <jane@example.com>"`, "bare address", "email: jane@example.com"}},
		{"email in angle brackets", "email: \"<jane@example.com>\"\nsub: u1\nroles: [x]\n", 1, "email",
			[]string{"bare address", "email: jane@example.com"}},
		{"email with quoted local part", "email: '\"j d\"@example.com'\nsub: u1\nroles: [x]\n", 1, "email",
			[]string{"bare address", "plain address such as jane@example.com"}},
		{"email with comment", "email: jane@example.com (Jane)\nsub: u1\nroles: [x]\n", 1, "email",
			[]string{"bare address", "email: jane@example.com"}},
		{"email without at sign", "email: jane\nsub: u1\nroles: [x]\n", 1, "email",
			[]string{`invalid email "jane"`}},

		{"duplicate key", "sub: u1\nroles: [x]\nsub: u2\n", 3, "sub",
			[]string{`duplicate key "sub"`, "lines 1 and 3", "keep one"}},
		{"duplicate roles", "roles: [a]\nsub: u1\nroles: [b]\n", 3, "roles",
			[]string{`duplicate key "roles"`, "lines 1 and 3"}},

		{"empty file", "", 0, "", []string{"user file is empty", "roles"}},
		{"only comments", "# nothing\n\n   \n# here\n", 0, "", []string{"user file is empty"}},
		{"only document marker", "---\n", 0, "", []string{"user file is empty"}},
		{"null document", "~\n", 0, "", []string{"user file is empty"}},
		{"list document", "- name: a\n- roles: [x]\n", 1, "", []string{"is a list, not a mapping"}},
		{"scalar document", "hello\n", 1, "", []string{"is a single value, not a mapping"}},
		{"two documents", "sub: u1\nroles: [x]\n---\nsub: u2\nroles: [y]\n", 3, "",
			[]string{"second YAML document", "one document"}},
		{"trailing document marker", "sub: u1\nroles: [x]\n---\n", 3, "",
			[]string{"second YAML document"}},
		{"second document invalid", "sub: u1\nroles: [x]\n---\n[\n", 4, "",
			[]string{"invalid YAML"}},

		{"anchor", "sub: &s u1\nroles: [x]\n", 1, "sub",
			[]string{`YAML anchor "&s"`, "not allowed"}},
		{"alias", "roles: &r [x]\ngroups: *r\n", 1, "roles",
			[]string{`YAML anchor "&r"`}},
		{"alias item", "sub: u1\nroles: [x]\ngroups: [a, *b]\n", 3, "groups",
			[]string{`YAML alias "*b"`, "not allowed"}},
		{"unknown anchor scalar", "sub: u1\nroles: [x]\ngroups: *all\n", 3, "groups",
			[]string{`YAML alias "*all"`, `"*"`}},
		{"anchored root", "&a\nsub: u1\nroles: [x]\n", 1, "",
			[]string{`YAML anchor "&a"`}},
		{"anchored key", "&k sub: u1\nroles: [x]\n", 1, "",
			[]string{`YAML anchor "&k"`}},
		{"alias key", "sub: &k u1\n*k : x\n", 1, "sub",
			[]string{`YAML anchor "&k"`}},
		{"complex key", "? [a]\n: 1\n", 1, "",
			[]string{"a list is used as a key", "name, email, sub, roles and groups"}},

		{"utf16", "\xff\xfes\x00u\x00b\x00", 1, "", []string{"UTF-16", "UTF-8"}},
		{"invalid utf8", "sub: u1\nname: \xc3\x28\nroles: [x]\n", 2, "", []string{"invalid UTF-8"}},
		{"raw control character", "sub: u1\nname: a\x01b\nroles: [x]\n", 2, "", []string{"control character U+0001"}},
		{"raw delete character", "sub: u1\x7f\nroles: [x]\n", 1, "", []string{"control character U+007F"}},
		{"lone carriage return", "sub: u1\rroles: [x]\n", 1, "", []string{"unusual line break U+000D", "LF or CRLF"}},
		{"line separator", "sub: u1\nname: a\u2028b\nroles: [x]\n", 2, "", []string{"unusual line break U+2028"}},
		{"next line character", "sub: u1\nroles: [x]\u0085\n", 2, "", []string{"unusual line break U+0085"}},
		{"raw c1 control", "sub: u1\nroles: [x\u0090]\n", 2, "", []string{"control character U+0090"}},
		{"escaped tab in name", "name: \"a\\tb\"\nsub: u1\nroles: [x]\n", 1, "name",
			[]string{"name value", "control character U+0009"}},
		{"multi-line name", "name: |\n  a\n  b\nsub: u1\nroles: [x]\n", 1, "name",
			[]string{"control character U+000A", "one line"}},
		{"escaped control in group", "sub: u1\nroles: [x]\ngroups: [\"a\\u0085\"]\n", 3, "groups",
			[]string{"control character U+0085"}},
		{"too large", "sub: u1\nroles: [x]\n#" + strings.Repeat("x", 64<<10) + "\n", 0, "",
			[]string{"too large", "65536"}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user, notices, err := ParseUser([]byte(tt.input), "admin.yaml")
			if err == nil {
				t.Fatalf("ParseUser = %+v, want an error", user)
			}

			var fileErr *UserFileError
			if !errors.As(err, &fileErr) {
				t.Fatalf("error %v is a %T, want *UserFileError", err, err)
			}

			if fileErr.File != "admin.yaml" {
				t.Errorf("File = %q, want %q", fileErr.File, "admin.yaml")
			}

			if fileErr.Line != tt.wantLine {
				t.Errorf("Line = %d, want %d (message: %v)", fileErr.Line, tt.wantLine, err)
			}

			if fileErr.Key != tt.wantKey {
				t.Errorf("Key = %q, want %q (message: %v)", fileErr.Key, tt.wantKey, err)
			}

			message := err.Error()
			for _, text := range tt.wantText {
				if !strings.Contains(message, text) {
					t.Errorf("message %q does not contain %q", message, text)
				}
			}

			if strings.ContainsAny(message, "\r\n") {
				t.Errorf("message %q spans more than one line", message)
			}

			if !strings.HasPrefix(message, "admin.yaml") {
				t.Errorf("message %q does not start with the file name", message)
			}

			if user.Roles != nil || user.Subject != "" {
				t.Errorf("User = %+v, want the zero User", user)
			}

			if notices != nil {
				t.Errorf("notices = %v, want nil", notices)
			}
		})
	}
}

func TestParseUserNotices(t *testing.T) {
	tests := []struct {
		name      string
		input     string
		wantLevel NoticeLevel
		// wantText lists the words of the single notice expected; nil
		// means no notice.
		wantText []string
	}{
		{"system role", "sub: u1\nroles: [system.admin, system.user, system.view, system.guest]\n", 0, nil},
		{"custom role", "sub: u1\nroles: [team.reader, storage-ops]\n", 0, nil},
		{"misspelt role", "sub: u1\ngroups: []\n\nroles: [system.admn]\n", LevelWarning,
			[]string{`role "system.admn" in admin.yaml:4 is not a system role; did you mean "system.admin"?`}},
		{"two edits", "sub: u1\nroles:\n  - sytem.usr\n", LevelWarning,
			[]string{`role "sytem.usr" in admin.yaml:3`, `did you mean "system.user"?`}},
		{"role case", "sub: u1\nroles: [System.Admin]\n", LevelWarning,
			[]string{`role "System.Admin" in admin.yaml:2`, `did you mean "system.admin"?`}},
		{"role without prefix", "sub: u1\nroles: [admin]\n", LevelWarning,
			[]string{`role "admin"`, `did you mean "system.admin"?`}},
		{"unknown system role", "sub: u1\nroles: [system.operator]\n", LevelWarning,
			[]string{`role "system.operator"`, "system.admin, system.user, system.view and system.guest"}},
		{"placeholder subject", "sub: ${uuid} or email of the storage admin\nroles: [x]\n", LevelWarning,
			[]string{`sub "${uuid} or email of the storage admin" in admin.yaml:1`, "placeholder", "UUID"}},
		{"derived subject", "name: Jane\nemail: jane@example.com\nroles: [system.user]\n", LevelNote,
			[]string{"sub is not set in admin.yaml", derivedSubject("Jane", "jane@example.com"), "openstorage-sdk-auth", "unique"}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, notices, err := ParseUser([]byte(tt.input), "admin.yaml")
			if err != nil {
				t.Fatalf("ParseUser: unexpected error: %v", err)
			}

			if tt.wantText == nil {
				if len(notices) != 0 {
					t.Errorf("notices = %v, want none", notices)
				}

				return
			}

			if len(notices) != 1 {
				t.Fatalf("notices = %v, want one", notices)
			}

			if notices[0].Level != tt.wantLevel {
				t.Errorf("Level = %v, want %v", notices[0].Level, tt.wantLevel)
			}

			for _, text := range tt.wantText {
				if !strings.Contains(notices[0].Message, text) {
					t.Errorf("message %q does not contain %q", notices[0].Message, text)
				}
			}
		})
	}
}

func TestParseUserNoticeOrder(t *testing.T) {
	input := "name: Jane\nroles: [system.admn, system.vew]\n"
	_, notices, err := ParseUser([]byte(input), "u.yaml")
	if err != nil {
		t.Fatalf("ParseUser: unexpected error: %v", err)
	}

	if len(notices) != 3 {
		t.Fatalf("notices = %v, want three", notices)
	}

	if !strings.Contains(notices[0].Message, `"system.admn"`) {
		t.Errorf("first notice %q is not about system.admn", notices[0].Message)
	}

	if !strings.Contains(notices[1].Message, `"system.vew"`) {
		t.Errorf("second notice %q is not about system.vew", notices[1].Message)
	}

	if notices[2].Level != LevelNote {
		t.Errorf("third notice %q has level %v, want LevelNote", notices[2].Message, notices[2].Level)
	}
}

func TestParseUserFileNameAsGiven(t *testing.T) {
	_, _, err := ParseUser([]byte("role: x\n"), "-")
	if err == nil {
		t.Fatal("ParseUser: want an error")
	}

	if !strings.HasPrefix(err.Error(), "-:1: ") {
		t.Errorf("message %q does not start with %q", err.Error(), "-:1: ")
	}
}

func TestParseUserGroupsNotShared(t *testing.T) {
	first, _, err := ParseUser([]byte("sub: u1\nroles: [x]\n"), "a.yaml")
	if err != nil {
		t.Fatalf("ParseUser: unexpected error: %v", err)
	}

	second, _, err := ParseUser([]byte("sub: u2\nroles: [y]\n"), "b.yaml")
	if err != nil {
		t.Fatalf("ParseUser: unexpected error: %v", err)
	}

	first.Groups = append(first.Groups, "changed")
	if len(second.Groups) != 0 {
		t.Errorf("second.Groups = %q after appending to first.Groups, want empty", second.Groups)
	}
}

func TestUserFileErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		err  UserFileError
		want string
	}{
		{"line and hint", UserFileError{File: "admin.yaml", Line: 3, Key: "role", Reason: `unknown key "role"`, Hint: `did you mean "roles"?`},
			`admin.yaml:3: unknown key "role"; did you mean "roles"?`},
		{"no line", UserFileError{File: "admin.yaml", Key: "roles", Reason: "missing roles"},
			"admin.yaml: missing roles"},
		{"no file", UserFileError{Line: 2, Reason: "empty role"},
			"user file:2: empty role"},
		{"file with newline", UserFileError{File: "a\nb.yaml", Line: 1, Reason: "empty role"},
			`"a\nb.yaml":1: empty role`},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSuggestUserKey(t *testing.T) {
	tests := []struct {
		key  string
		want string
	}{
		{"role", "roles"},
		{"Roles", "roles"},
		{"group", "groups"},
		{"mail", "email"},
		{"e-mail", "email"},
		{"emial", "email"},
		{"subject", "sub"},
		{"su", "sub"},
		{"username", "name"},
		{"nmae", "name"},
		{"colour", ""},
		{"ab", ""},
		{"", ""},
		{strings.Repeat("roles", 20), ""},
	}

	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if got := suggestUserKey(tt.key); got != tt.want {
				t.Errorf("suggestUserKey(%q) = %q, want %q", tt.key, got, tt.want)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"", "", 3, 0},
		{"roles", "roles", 3, 0},
		{"role", "roles", 3, 1},
		{"rolse", "roles", 3, 1},
		{"system.admn", "system.admin", 3, 1},
		{"sytem.usr", "system.user", 3, 2},
		{"kitten", "sitting", 9, 3},
		{"kitten", "sitting", 2, 2},
		{"a", "abcdef", 3, 3},
		{strings.Repeat("x", 40), strings.Repeat("y", 40), 100, 40},
	}

	for _, tt := range tests {
		t.Run(tt.a+"_"+tt.b, func(t *testing.T) {
			if got := editDistance(tt.a, tt.b, tt.limit); got != tt.want {
				t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
			}
		})
	}
}

func BenchmarkParseUser(b *testing.B) {
	data := []byte(adminUserFile)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ParseUser(data, "admin.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}
