package jwtgen

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// maxUserFileSize bounds the input ParseUser reads. A user file holds five
// short keys, and the token made from it travels in a gRPC header, so 64 KiB
// (about two thousand groups) is far beyond any real file.
const maxUserFileSize = 64 << 10

// derivedSubjectPrefix starts the text that openstorage-sdk-auth encodes into a
// subject when the user file has none.
const derivedSubjectPrefix = "openstorage.io/"

// User is a parsed and validated user file: the identity and permissions
// that go into a token's claims. The field rules below hold for a User from
// ParseUser. NewClaims checks only that Subject is not blank and that Roles
// is not empty.
type User struct {
	// Name is the user's display name, possibly empty.
	Name string
	// Email is a bare address such as jane@example.com, or empty.
	Email string
	// Subject is the sub claim: the owner of the volumes the user creates.
	// It is never empty or blank.
	Subject string
	// Roles holds at least one role, none empty or containing whitespace.
	Roles []string
	// Groups may be empty but is never nil. "*" means every group.
	Groups []string
}

// UserFileError is a violation in a user file. Its message is one line:
// the file, the line when known, the reason, and the fix when there is one.
type UserFileError struct {
	// File is the name the caller passed to ParseUser.
	File string
	// Line is the 1-based line in File, or 0 when unknown.
	Line int
	// Key is the user file key the violation is about, or "" when it is
	// not about one key.
	Key string
	// Reason describes what is wrong and names the value.
	Reason string
	// Hint is the likely fix, or empty.
	Hint string
}

// Error returns the message, such as
// `admin.yaml:3: unknown key "role"; did you mean "roles"?`.
func (e *UserFileError) Error() string {
	var b strings.Builder
	b.WriteString(userFileLocation(e.File, e.Line))
	b.WriteString(": ")
	b.WriteString(e.Reason)
	if e.Hint != "" {
		b.WriteString("; ")
		b.WriteString(e.Hint)
	}

	return b.String()
}

// userKey is one of the keys allowed in a user file, as an index into
// userKeyNames.
type userKey int

const (
	keyName userKey = iota
	keyEmail
	keySubject
	keyRoles
	keyGroups
	userKeyCount
)

var userKeyNames = [userKeyCount]string{"name", "email", "sub", "roles", "groups"}

const allowedKeysHint = "the allowed keys are name, email, sub, roles and groups"

// ParseUser parses and validates the contents of a user file, a YAML
// mapping with the keys name, email, sub, roles and groups. file names the
// file in messages and is used as given.
//
// The rules go beyond what openstorage-sdk-auth checks, so that a file that
// parses gives a token a server accepts:
//   - Only the five keys, each once. Anchors, aliases and a second YAML
//     document are rejected. The file must be UTF-8, with or without a
//     byte order mark, and at most 64 KiB.
//   - name, email and sub are single values. A scalar of another YAML type,
//     such as name: 123, is kept as its literal text, and null means empty.
//   - Every value is kept byte for byte, but a value with a control
//     character, such as the line break a block scalar (|) ends with, is
//     rejected.
//   - roles and groups are lists of strings. A single string is taken as a
//     one-item list, and a null or missing groups is an empty list.
//   - At least one role is required, because a token without roles is
//     denied every call. Roles may not be empty or contain whitespace.
//     Groups may not be empty but may contain spaces, because directory
//     group names such as "Domain Admins" do.
//   - A non-empty email must be a bare address, without a display name.
//   - A missing or empty sub is derived as openstorage-sdk-auth derives it:
//     standard base64, with padding, of "openstorage.io/" + name + "/" +
//     email. This needs a name or an email. A sub of only whitespace is
//     rejected.
//
// The first violation found is returned as a *UserFileError, with a zero
// User and no notices. On success the notices hold warnings, such as a role
// that looks like a misspelt system role, and a note when sub was derived.
func ParseUser(data []byte, file string) (User, []Notice, error) {
	if len(data) > maxUserFileSize {
		return User{}, nil, &UserFileError{
			File:   file,
			Reason: fmt.Sprintf("file is too large (%d bytes, the maximum is %d)", len(data), maxUserFileSize),
			Hint:   "a user file holds only name, email, sub, roles and groups",
		}
	}

	if err := checkUserFileText(data, file); err != nil {
		return User{}, nil, err
	}

	root, err := decodeUserDocument(data, file)
	if err != nil {
		return User{}, nil, err
	}

	p := userParser{file: file}
	user, err := p.parse(root)
	if err != nil {
		return User{}, nil, err
	}

	return user, p.notices, nil
}

// checkUserFileText rejects input that the YAML reader would reject without
// a line number, UTF-16, invalid UTF-8 and control characters other than
// tab, CR and LF, and line breaks other than LF and CRLF.
func checkUserFileText(data []byte, file string) error {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return &UserFileError{File: file, Line: 1, Reason: "file is UTF-16", Hint: "save it as UTF-8"}
	}

	line := 1
	for i := 0; i < len(data); {
		b := data[i]
		if b < utf8.RuneSelf {
			switch {
			case b == '\n':
				line++
			case b == '\r' && (i+1 == len(data) || data[i+1] != '\n'):
				return lineBreakError(file, line, '\r')
			case (b < 0x20 && b != '\t' && b != '\r') || b == 0x7F:
				return controlCharacterError(file, line, rune(b))
			}

			i++
			continue
		}

		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return &UserFileError{File: file, Line: line, Reason: "invalid UTF-8", Hint: "save the file as UTF-8"}
		}

		// YAML reads NEL, LS and PS as line breaks, which would make its
		// line numbers differ from an editor's. It rejects the other C1
		// controls and the noncharacters U+FFFE and U+FFFF itself, but
		// without a line number.
		if r == 0x85 || r == 0x2028 || r == 0x2029 {
			return lineBreakError(file, line, r)
		}

		if (r >= 0x80 && r <= 0x9F) || r == 0xFFFE || r == 0xFFFF {
			return controlCharacterError(file, line, r)
		}

		i += size
	}

	return nil
}

func controlCharacterError(file string, line int, r rune) error {
	return &UserFileError{
		File:   file,
		Line:   line,
		Reason: fmt.Sprintf("control character %U", r),
		Hint:   "remove it; a user file is plain text",
	}
}

func lineBreakError(file string, line int, r rune) error {
	return &UserFileError{
		File:   file,
		Line:   line,
		Reason: fmt.Sprintf("unusual line break %U", r),
		Hint:   "save the file with LF or CRLF line endings",
	}
}

// decodeUserDocument parses data as exactly one YAML document and returns
// its root node, or a *UserFileError.
func decodeUserDocument(data []byte, file string) (*yaml.Node, error) {
	decoder := yaml.NewDecoder(bytes.NewReader(data))

	var document yaml.Node
	if err := decoder.Decode(&document); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, emptyUserFileError(file)
		}

		return nil, yamlSyntaxError(data, file, err)
	}

	var extra yaml.Node
	err := decoder.Decode(&extra)
	if err == nil {
		return nil, &UserFileError{
			File:   file,
			Line:   extra.Line,
			Reason: "a second YAML document starts here",
			Hint:   "a user file holds one document; remove the --- line and what follows, or split it into two files",
		}
	}

	if !errors.Is(err, io.EOF) {
		return nil, yamlSyntaxError(data, file, err)
	}

	if document.Kind != yaml.DocumentNode || len(document.Content) != 1 {
		return nil, emptyUserFileError(file)
	}

	root := document.Content[0]
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" && root.Anchor == "" {
		return nil, emptyUserFileError(file)
	}

	return root, nil
}

func emptyUserFileError(file string) error {
	return &UserFileError{
		File:   file,
		Reason: "user file is empty",
		Hint:   `add at least sub or name and email, and roles, such as roles: ["system.user"]`,
	}
}

// userParser collects the fields and notices of one user file.
type userParser struct {
	file    string
	notices []Notice

	// keyLines holds the line of each allowed key seen so far, 0 for none.
	keyLines [userKeyCount]int

	name, email, subject string
	roles, groups        []string
}

// parse checks the root node and each key-value pair in document order,
// then the rules that need the whole file.
func (p *userParser) parse(root *yaml.Node) (User, error) {
	if err := p.checkNoAnchor(root, ""); err != nil {
		return User{}, err
	}

	if root.Kind != yaml.MappingNode {
		return User{}, &UserFileError{
			File:   p.file,
			Line:   root.Line,
			Reason: fmt.Sprintf("the user file is a %s, not a mapping of keys", yamlKindName(root)),
			Hint:   `write one key per line, such as name: Jane Doe and roles: ["system.user"]`,
		}
	}

	for i := 0; i+1 < len(root.Content); i += 2 {
		if err := p.parsePair(root.Content[i], root.Content[i+1]); err != nil {
			return User{}, err
		}
	}

	if err := p.checkRoles(); err != nil {
		return User{}, err
	}

	if err := p.fillSubject(); err != nil {
		return User{}, err
	}

	groups := p.groups
	if groups == nil {
		groups = []string{}
	}

	user := User{Name: p.name, Email: p.email, Subject: p.subject, Roles: p.roles, Groups: groups}
	return user, nil
}

func (p *userParser) parsePair(keyNode, value *yaml.Node) error {
	if err := p.checkNoAnchor(keyNode, ""); err != nil {
		return err
	}

	if keyNode.Kind != yaml.ScalarNode {
		return &UserFileError{
			File:   p.file,
			Line:   keyNode.Line,
			Reason: fmt.Sprintf("a %s is used as a key", yamlKindName(keyNode)),
			Hint:   allowedKeysHint,
		}
	}

	key, ok := lookupUserKey(keyNode.Value)
	if !ok {
		return p.unknownKeyError(keyNode)
	}

	name := userKeyNames[key]
	if first := p.keyLines[key]; first != 0 {
		return &UserFileError{
			File:   p.file,
			Line:   keyNode.Line,
			Key:    name,
			Reason: fmt.Sprintf("duplicate key %q on lines %d and %d", name, first, keyNode.Line),
			Hint:   "keep one of them",
		}
	}

	p.keyLines[key] = keyNode.Line

	if err := p.checkNoAnchor(value, name); err != nil {
		return err
	}

	switch key {
	case keyName:
		text, err := p.scalarText(name, value)
		p.name = text
		return err
	case keyEmail:
		return p.parseEmail(value)
	case keySubject:
		return p.parseSubject(value)
	case keyRoles:
		roles, err := p.stringList(name, value)
		p.roles = roles
		return err
	default:
		groups, err := p.stringList(name, value)
		p.groups = groups
		return err
	}
}

func lookupUserKey(key string) (userKey, bool) {
	for i, name := range userKeyNames {
		if key == name {
			return userKey(i), true
		}
	}

	return 0, false
}

// scalarText returns the text of a single value: its literal text, or ""
// for null.
func (p *userParser) scalarText(key string, value *yaml.Node) (string, error) {
	if value.Kind != yaml.ScalarNode {
		return "", &UserFileError{
			File:   p.file,
			Line:   value.Line,
			Key:    key,
			Reason: fmt.Sprintf("%s is a %s, not a single value", key, yamlKindName(value)),
			Hint:   fmt.Sprintf("write it as %s: value", key),
		}
	}

	if value.ShortTag() == "!!null" {
		return "", nil
	}

	if err := p.checkNoControl(key, value); err != nil {
		return "", err
	}

	return value.Value, nil
}

func (p *userParser) parseEmail(value *yaml.Node) error {
	email, err := p.scalarText("email", value)
	if err != nil || email == "" {
		return err
	}

	address, err := mail.ParseAddress(email)
	if err != nil {
		return &UserFileError{
			File:   p.file,
			Line:   value.Line,
			Key:    "email",
			Reason: fmt.Sprintf("invalid email %s: not an email address", quoteInput(email)),
			Hint:   "write an address such as jane@example.com, or remove the email line",
		}
	}

	if address.Name != "" || address.Address != email {
		// Suggest the parsed address only when it is valid on its own: the
		// parser drops the quotes of a quoted local part such as "j d".
		hint := "write a plain address such as jane@example.com"
		if again, err := mail.ParseAddress(address.Address); err == nil && again.Address == address.Address {
			hint = "write email: " + address.Address
		}

		return &UserFileError{
			File:   p.file,
			Line:   value.Line,
			Key:    "email",
			Reason: fmt.Sprintf("invalid email %s: only the bare address is allowed", quoteInput(email)),
			Hint:   hint,
		}
	}

	p.email = email
	return nil
}

func (p *userParser) parseSubject(value *yaml.Node) error {
	subject, err := p.scalarText("sub", value)
	if err != nil || subject == "" {
		return err
	}

	if strings.TrimSpace(subject) == "" {
		return &UserFileError{
			File:   p.file,
			Line:   value.Line,
			Key:    "sub",
			Reason: "sub is blank",
			Hint:   "set it to an id unique to this user, such as a UUID or the email address, or remove the line to derive it from name and email",
		}
	}

	// The Portworx documentation's example reads
	// "sub: ${uuid} or email of the storage admin".
	if strings.Contains(subject, "${") {
		p.notices = append(p.notices, Notice{
			Level:   LevelWarning,
			Message: fmt.Sprintf("sub %s in %s looks like a placeholder; set it to an id unique to this user, such as a UUID or the email address", quoteInput(subject), userFileLocation(p.file, value.Line)),
		})
	}

	p.subject = subject
	return nil
}

// stringList reads roles or groups: a list of single values, a single value
// taken as a one-item list, or null for an empty list. Every item is checked
// as it is read.
func (p *userParser) stringList(key string, value *yaml.Node) ([]string, error) {
	switch value.Kind {
	case yaml.ScalarNode:
		if value.ShortTag() == "!!null" {
			return []string{}, nil
		}

		item, err := p.listItem(key, value)
		if err != nil {
			return nil, err
		}

		return []string{item}, nil
	case yaml.SequenceNode:
		items := make([]string, 0, len(value.Content))
		for _, itemNode := range value.Content {
			item, err := p.listItem(key, itemNode)
			if err != nil {
				return nil, err
			}

			items = append(items, item)
		}

		return items, nil
	default:
		return nil, &UserFileError{
			File:   p.file,
			Line:   value.Line,
			Key:    key,
			Reason: fmt.Sprintf("%s is a %s, not a list of strings", key, yamlKindName(value)),
			Hint:   userListExample(key),
		}
	}
}

func (p *userParser) listItem(key string, node *yaml.Node) (string, error) {
	if err := p.checkNoAnchor(node, key); err != nil {
		return "", err
	}

	if node.Kind != yaml.ScalarNode {
		return "", &UserFileError{
			File:   p.file,
			Line:   node.Line,
			Key:    key,
			Reason: fmt.Sprintf("an item of %s is a %s, not a string", key, yamlKindName(node)),
			Hint:   userListExample(key),
		}
	}

	item := ""
	if node.ShortTag() != "!!null" {
		item = node.Value
	}

	if item == "" {
		return "", p.emptyItemError(key, node.Line)
	}

	if err := p.checkNoControl(key, node); err != nil {
		return "", err
	}

	if key == "roles" {
		if err := p.checkRole(item, node.Line); err != nil {
			return "", err
		}
	}

	return item, nil
}

func (p *userParser) emptyItemError(key string, line int) error {
	if key == "roles" {
		return &UserFileError{
			File:   p.file,
			Line:   line,
			Key:    key,
			Reason: "empty role",
			Hint:   `remove it or name a role, such as "system.user"`,
		}
	}

	return &UserFileError{
		File:   p.file,
		Line:   line,
		Key:    key,
		Reason: "empty group",
		Hint:   "remove it; write groups: [] for no groups",
	}
}

func userListExample(key string) string {
	if key == "roles" {
		return `write roles: ["system.user"], or one role per line starting with "- "`
	}

	return `write groups: ["team-a", "team-b"], or one group per line starting with "- "`
}

// checkRole rejects a role with whitespace and adds a warning for a role
// that looks like a misspelt system role.
func (p *userParser) checkRole(role string, line int) error {
	if strings.IndexFunc(role, unicode.IsSpace) >= 0 {
		return &UserFileError{
			File:   p.file,
			Line:   line,
			Key:    "roles",
			Reason: fmt.Sprintf("role %s contains whitespace", quoteInput(role)),
			Hint:   `role names have no spaces; write each role as its own item, as in roles: ["system.user", "team.reader"]`,
		}
	}

	if message, ok := systemRoleWarning(role, userFileLocation(p.file, line)); ok {
		p.notices = append(p.notices, Notice{Level: LevelWarning, Message: message})
	}

	return nil
}

// knownSystemRoles are the roles every Portworx cluster defines.
var knownSystemRoles = [...]string{"system.admin", "system.user", "system.view", "system.guest"}

// systemRoleWarning returns a warning for a role that is not a system role
// but looks like one: equal ignoring case, missing the "system." prefix,
// within two edits, or using the "system." prefix at all. Custom roles that
// look like none of these get no warning.
func systemRoleWarning(role, location string) (string, bool) {
	var suggestion string
	best := 3

	for _, systemRole := range knownSystemRoles {
		if role == systemRole {
			return "", false
		}

		if strings.EqualFold(role, systemRole) || strings.EqualFold("system."+role, systemRole) {
			suggestion = systemRole
			best = 0
			continue
		}

		if distance := editDistance(role, systemRole, best); distance < best {
			suggestion = systemRole
			best = distance
		}
	}

	if suggestion != "" {
		return fmt.Sprintf("role %s in %s is not a system role; did you mean %q?", quoteInput(role), location, suggestion), true
	}

	if len(role) > len("system.") && strings.EqualFold(role[:len("system.")], "system.") {
		return fmt.Sprintf("role %s in %s is not a system role; the system roles are system.admin, system.user, system.view and system.guest", quoteInput(role), location), true
	}

	return "", false
}

// checkRoles rejects a file without roles once every key has been read.
func (p *userParser) checkRoles() error {
	if len(p.roles) > 0 {
		return nil
	}

	reason := "missing roles: a token without roles is denied every call"
	if p.keyLines[keyRoles] != 0 {
		reason = "empty roles: a token without roles is denied every call"
	}

	return &UserFileError{
		File:   p.file,
		Line:   p.keyLines[keyRoles],
		Key:    "roles",
		Reason: reason,
		Hint:   `add a role, such as roles: ["system.user"]`,
	}
}

// fillSubject derives a missing or empty sub from name and email the way
// openstorage-sdk-auth does, so tokens made by either tool for the same
// file have the same owner.
func (p *userParser) fillSubject() error {
	if p.subject != "" {
		return nil
	}

	if p.name == "" && p.email == "" {
		return &UserFileError{
			File:   p.file,
			Line:   p.keyLines[keySubject],
			Key:    "sub",
			Reason: "missing sub, and no name or email to derive it from",
			Hint:   "set sub to an id unique to this user, such as a UUID or the email address",
		}
	}

	p.subject = base64.StdEncoding.EncodeToString([]byte(derivedSubjectPrefix + p.name + "/" + p.email))
	p.notices = append(p.notices, Notice{
		Level: LevelNote,
		Message: fmt.Sprintf("sub is not set in %s, so it was derived from name and email as openstorage-sdk-auth does: %q; sub must be unique to each user, so set it when two users share a name and email",
			userFileLocation(p.file, 0), p.subject),
	})

	return nil
}

// checkNoAnchor rejects anchors and aliases: a user file has nothing to
// repeat, and refusing them rules out alias expansion attacks.
func (p *userParser) checkNoAnchor(node *yaml.Node, key string) error {
	if node.Kind == yaml.AliasNode {
		return &UserFileError{
			File:   p.file,
			Line:   node.Line,
			Key:    key,
			Reason: fmt.Sprintf("YAML alias %s is not allowed in a user file", quoteInput("*"+node.Value)),
			Hint:   `write the value out; a value starting with * needs quotes, as in "*"`,
		}
	}

	if node.Anchor != "" {
		return &UserFileError{
			File:   p.file,
			Line:   node.Line,
			Key:    key,
			Reason: fmt.Sprintf("YAML anchor %s is not allowed in a user file", quoteInput("&"+node.Anchor)),
			Hint:   `remove it; a value starting with & needs quotes, as in "&"`,
		}
	}

	return nil
}

// checkNoControl rejects a value with control characters, such as the line
// breaks a block scalar (|) keeps: they have no place in a name, and a line
// break in a token breaks the request that carries it.
func (p *userParser) checkNoControl(key string, node *yaml.Node) error {
	i := strings.IndexFunc(node.Value, unicode.IsControl)
	if i < 0 {
		return nil
	}

	r, _ := utf8.DecodeRuneInString(node.Value[i:])
	return &UserFileError{
		File:   p.file,
		Line:   node.Line,
		Key:    key,
		Reason: fmt.Sprintf("%s value %s contains control character %U", key, quoteInput(node.Value), r),
		Hint:   "write the value on one line without escapes such as \\n or \\t",
	}
}

func (p *userParser) unknownKeyError(keyNode *yaml.Node) error {
	key := keyNode.Value
	err := &UserFileError{File: p.file, Line: keyNode.Line, Key: key}

	switch strings.ToLower(key) {
	case "issuer", "iss":
		err.Reason = fmt.Sprintf("key %s is not allowed in a user file: the issuer is set with --issuer", quoteInput(key))
		err.Hint = "remove the line and pass --issuer with the cluster's -jwt-issuer value"
		return err
	case "exp", "iat", "nbf":
		err.Reason = fmt.Sprintf("key %s is not allowed in a user file: token times are set when the token is signed", quoteInput(key))
		err.Hint = "remove the line and set the lifetime with --token-duration"
		return err
	}

	err.Reason = fmt.Sprintf("unknown key %s", quoteInput(key))
	if suggestion := suggestUserKey(key); suggestion != "" {
		err.Hint = fmt.Sprintf("did you mean %q?", suggestion)
	} else {
		err.Hint = allowedKeysHint
	}

	return err
}

// userKeyAliases maps words people use for a key to the key.
var userKeyAliases = map[string]string{
	"username":      "name",
	"user_name":     "name",
	"user":          "name",
	"fullname":      "name",
	"full_name":     "name",
	"displayname":   "name",
	"display_name":  "name",
	"mail":          "email",
	"e-mail":        "email",
	"e_mail":        "email",
	"emailaddress":  "email",
	"email_address": "email",
	"subject":       "sub",
	"uid":           "sub",
	"userid":        "sub",
	"user_id":       "sub",
	"id":            "sub",
	"role":          "roles",
	"group":         "groups",
}

// suggestUserKey returns the allowed key that key most likely stands for,
// or "" when none is close.
func suggestUserKey(key string) string {
	const maxKeyLength = 32
	if len(key) > maxKeyLength {
		return ""
	}

	lower := strings.ToLower(key)
	if alias, ok := userKeyAliases[lower]; ok {
		return alias
	}

	suggestion := ""
	best := 3
	for _, name := range userKeyNames {
		// One edit turns any three-letter word into "sub", so short keys
		// get a suggestion only for a single edit.
		limit := 2
		if len(name) < 5 {
			limit = 1
		}

		if distance := editDistance(lower, name, limit+1); distance <= limit && distance < best {
			suggestion = name
			best = distance
		}
	}

	return suggestion
}

// editDistance returns the optimal string alignment distance between a and
// b in bytes, counting an insertion, deletion, substitution or swap of two
// neighbours as one edit. It stops early and returns limit once the
// distance is known to be at least limit.
func editDistance(a, b string, limit int) int {
	if len(a)-len(b) >= limit || len(b)-len(a) >= limit {
		return limit
	}

	// Three rows: the one before the previous, the previous and the current.
	const stackRow = 32
	var buffer [3 * stackRow]int
	width := len(b) + 1
	var rows []int
	if width <= stackRow {
		rows = buffer[:3*width]
	} else {
		rows = make([]int, 3*width)
	}

	older, previous, current := rows[:width], rows[width:2*width], rows[2*width:]
	for j := range previous {
		previous[j] = j
	}

	for i := 1; i <= len(a); i++ {
		current[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}

			value := min(previous[j]+1, current[j-1]+1, previous[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				value = min(value, older[j-2]+1)
			}

			current[j] = value
			rowMin = min(rowMin, value)
		}

		if rowMin >= limit {
			return limit
		}

		older, previous, current = previous, current, older
	}

	return min(previous[len(b)], limit)
}

func yamlKindName(node *yaml.Node) string {
	switch node.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	case yaml.AliasNode:
		return "YAML alias"
	case yaml.ScalarNode:
		if node.ShortTag() == "!!null" {
			return "null"
		}

		return "single value"
	default:
		return "YAML document"
	}
}

// userFileLocation formats file and line as file:line, or file alone when the
// line is 0. A name with control characters is quoted so that messages
// stay on one line.
func userFileLocation(file string, line int) string {
	switch {
	case file == "":
		file = "user file"
	case strings.IndexFunc(file, unicode.IsControl) >= 0 || !utf8.ValidString(file):
		file = strconv.Quote(file)
	}

	if line <= 0 {
		return file
	}

	return file + ":" + strconv.Itoa(line)
}

// yamlParserProblems are the messages of the YAML parser, as opposed to its
// scanner. gopkg.in/yaml.v3 v3.0.1 prints a parser error with the 0-based
// line of the collection the problem is in, and a scanner error with the
// 1-based line of the problem, so parser lines need one added.
var yamlParserProblems = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"found undefined tag handle",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
}

// yamlSyntaxError turns an error from the YAML decoder into a
// *UserFileError with the file, the line and a fix where one is likely.
func yamlSyntaxError(data []byte, file string, err error) error {
	message, line := splitYAMLError(err.Error())
	for _, problem := range yamlParserProblems {
		if message == problem {
			line++
			break
		}
	}

	// An error without a line comes from the first line, because the
	// decoder leaves out line 0 of its 0-based count. An error at the end
	// of the input is shown on the last line that has text.
	line = min(max(line, 1), lastTextLine(data))

	// The decoder reports an alias with an unknown anchor without a line.
	if name, ok := strings.CutPrefix(message, "unknown anchor '"); ok {
		name, _, _ = strings.Cut(name, "'")
		aliasLine := findAliasLine(data, name)
		return &UserFileError{
			File:   file,
			Line:   aliasLine,
			Key:    keyAtLine(data, aliasLine),
			Reason: fmt.Sprintf("YAML alias %s is not allowed in a user file", quoteInput("*"+name)),
			Hint:   `write the value out; a value starting with * needs quotes, as in "*"`,
		}
	}

	text := lineText(data, line)

	// An unquoted * starts an alias, and the scanner then expects its name.
	// groups: [*] is the usual way to hit this.
	if message == "did not find expected alphabetic or numeric character" && strings.Contains(text, "*") {
		key := keyAtLine(data, line)
		hint := `put it in quotes, as in "*"`
		if key == "groups" {
			hint = `put it in quotes: groups: ["*"] means every group`
		}

		return &UserFileError{
			File:   file,
			Line:   line,
			Key:    key,
			Reason: "unquoted * is read as a YAML alias",
			Hint:   hint,
		}
	}

	reason, hint := describeYAMLProblem(message, text)
	return &UserFileError{File: file, Line: line, Reason: reason, Hint: hint}
}

// splitYAMLError splits a message such as "yaml: line 3: did not find
// expected key" into the problem and the line number, 0 when absent.
func splitYAMLError(message string) (string, int) {
	message = strings.TrimPrefix(message, "yaml: ")
	rest, ok := strings.CutPrefix(message, "line ")
	if !ok {
		return message, 0
	}

	number, problem, ok := strings.Cut(rest, ": ")
	if !ok {
		return message, 0
	}

	line, err := strconv.Atoi(number)
	if err != nil || line < 0 {
		return message, 0
	}

	return problem, line
}

// describeYAMLProblem rephrases a YAML problem for people who edit a user
// file by hand. text is the line the problem was reported on.
func describeYAMLProblem(problem, text string) (reason, hint string) {
	switch problem {
	case "mapping values are not allowed in this context":
		return `invalid YAML: unexpected ":"`, `put a value that contains ": " in quotes, and start each key at the beginning of its line`
	case "found a tab character that violates indentation":
		return "invalid YAML: tab in indentation", "indent with spaces"
	case "found character that cannot start any token":
		if strings.Contains(text, "\t") {
			return "invalid YAML: tab in indentation", "indent with spaces"
		}

		return "invalid YAML: a value starts with a reserved character such as @ or `", "put the value in quotes"
	case "did not find expected ',' or ']'":
		return "invalid YAML: a list opened with [ is not closed", "close it with ], and separate items with commas"
	case "did not find expected ',' or '}'":
		return "invalid YAML: a mapping opened with { is not closed", "close it with }, and separate entries with commas"
	case "found unexpected end of stream":
		if strings.ContainsAny(text, `"'`) {
			return "invalid YAML: a quoted value is not closed", "end it with the same quote it starts with"
		}
	case "did not find expected key", "did not find expected '-' indicator":
		return "invalid YAML: " + problem, "check the indentation: keys start at the beginning of a line, and the items of a list line up"
	case "could not find expected ':'":
		return "invalid YAML: line is not a key: value pair", `write key: value, or indent a list item under its key with "- "`
	case "block sequence entries are not allowed in this context":
		return `invalid YAML: a "- " list item on the same line as its key`, `put each "- " item on its own line under the key, or write [a, b]`
	}

	return "invalid YAML: " + singleLine(problem), ""
}

// singleLine replaces control characters, line breaks included, so that
// text from another package cannot split a message.
func singleLine(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}

	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}

		return r
	}, s)
}

// lineText returns line number line (1-based) of data without its line
// break and without a leading byte order mark, or "" past the end.
func lineText(data []byte, line int) string {
	start := 0
	for current := 1; current < line; current++ {
		i := bytes.IndexByte(data[start:], '\n')
		if i < 0 {
			return ""
		}

		start += i + 1
	}

	end := len(data)
	if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
		end = start + i
	}

	text := strings.TrimSuffix(string(data[start:end]), "\r")
	return strings.TrimPrefix(text, "\ufeff")
}

// lastTextLine returns the number of the last line that is not blank, or
// 1 when there is none.
func lastTextLine(data []byte) int {
	data = bytes.TrimRight(data, " \t\r\n")
	return bytes.Count(data, []byte("\n")) + 1
}

// keyAtLine returns the top-level key whose value contains line: the key
// on the nearest line at or above it that starts in column 1, or "".
func keyAtLine(data []byte, line int) string {
	lines := bytes.SplitN(data, []byte("\n"), line+1)
	for i := min(line, len(lines)) - 1; i >= 0; i-- {
		text := strings.TrimPrefix(string(lines[i]), "\ufeff")
		if text == "" || strings.ContainsRune(" \t\r#-", rune(text[0])) {
			continue
		}

		key, _, ok := strings.Cut(text, ":")
		if !ok {
			return ""
		}

		return strings.Trim(key, ` "'{`)
	}

	return ""
}

// findAliasLine returns the first line with *name outside a comment, or 0.
func findAliasLine(data []byte, name string) int {
	alias := "*" + name
	for line, text := range strings.Split(string(data), "\n") {
		text, _, _ = strings.Cut(text, "#")
		if strings.Contains(text, alias) {
			return line + 1
		}
	}

	return 0
}
