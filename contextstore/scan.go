package contextstore

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unicode/utf8"
	"unsafe"

	"gopkg.in/yaml.v3"
)

// scanFile parses the plain block layout that pxctl, pxc and pxauth write
// into the same node tree yaml.v3 builds. It exists because
// `pxauth ctx current` runs in shell prompts. On a file with 1,000 contexts
// and 900-byte inline tokens, BenchmarkParse measured 3 ms for scanFile
// against 18 ms for yaml.v3 on a 2-core Xeon VM. The sparse scan of Current
// takes about 1 ms there. ok is false for anything outside that layout, and the
// caller then parses with yaml.v3. Comments are skipped and not attached to
// nodes, so the tree is for reading only.
//
// The layout is YAML restricted to:
//   - block mappings and sequences indented with spaces, including sequences
//     at the indentation of their parent key;
//   - keys of up to 256 letters, digits and "_./-", starting with a letter,
//     digit or "_";
//   - single-line plain scalars, double-quoted scalars without escapes,
//     single-quoted scalars, and literal block scalars ("|", "|-", "|+")
//     without an indentation indicator;
//   - comments, and "\n" line ends;
//   - printable characters other than tab, NEL, U+2028, U+2029 and BOM.
//
// Flow collections, anchors, aliases, tags, folded scalars, multi-line flow
// scalars, document markers and directives, and lines holding only spaces
// all fall back to yaml.v3. For every input scanFile accepts, yaml.v3
// accepts it too and builds a tree with the same kinds, values, styles,
// resolved tags and positions; FuzzScanFile checks that.
func scanFile(data []byte) (*scanResult, bool) {
	return scan(data, false)
}

// scan implements scanFile. A sparse scan checks every line the same way but
// builds only the nodes currentOf reads: the root mapping, its keys, and the
// keys and scalar values of contextconfig. Any other collection is an empty
// node of the right kind.
func scan(data []byte, sparse bool) (*scanResult, bool) {
	if !printableText(data) {
		return nil, false
	}
	return scanLines(data, sparse)
}

// scanLines is scan for data whose characters the caller has checked as
// printableText does.
//
// The keys and values of a full scan are strings that share data's memory
// instead of copies. The caller must therefore never change data
// afterwards, and the contextconfig buffers are only read. With 1,000
// contexts that saves 8,000 allocations and about 0.9 MB of copies, 0.3 to
// 0.7 ms of a whole `ctx use` run (perf stat), most of it in page faults
// on fresh memory.
func scanLines(data []byte, sparse bool) (*scanResult, bool) {
	s := &scanner{sparse: sparse, scalarLimit: -1}
	if !sparse {
		s.lineStart = make([]int, 0, bytes.Count(data, []byte{'\n'})+1)
		if len(data) > 0 {
			s.text = unsafe.String(&data[0], len(data))
		}
	}
	if !s.readLines(data) {
		return nil, false
	}
	return s.finish()
}

// scanPrefix scans data sparsely without closing what is still open at its
// end, and returns the scanner in the state after the last line. data is
// the start of a file up to a line end, or the whole file, and the caller
// has checked its characters as printableText does. More lines can follow
// with readLines.
func scanPrefix(data []byte) (*scanner, bool) {
	s := &scanner{sparse: true, scalarLimit: -1}
	return s, s.readLines(data)
}

// readLines passes each line of data to line. data continues what the
// scanner has read so far and ends at a line end or at the end of the file.
func (s *scanner) readLines(data []byte) bool {
	for pos := 0; pos < len(data); {
		end := bytes.IndexByte(data[pos:], '\n')
		next := len(data)
		if end < 0 {
			end = len(data)
		} else {
			end += pos
			next = end + 1
		}

		if !s.sparse {
			s.lineStart = append(s.lineStart, s.offset+pos)
		}
		s.lineOffset = s.offset + pos
		s.lines++
		if !s.line(data[pos:end], s.lines) {
			return false
		}
		pos = next
	}

	if len(data) > 0 {
		s.lastBreak = data[len(data)-1] == '\n'
	}
	s.offset += len(data)
	return true
}

// sameState reports whether scanners a and b, after scanning different
// lines, would accept and build the same from any further lines. That
// needs the same open blocks (indentation, kind, and whether each is
// dropped, kept or the root), the same pending value and the same limit
// after a scalar. Line numbers may differ. A block scalar still open counts
// as different, because its lines so far are part of the state.
func sameState(a, b *scanner) bool {
	if (a.doc == nil) != (b.doc == nil) || a.block != nil || b.block != nil {
		return false
	}
	if a.scalarLimit != b.scalarLimit || a.isPending != b.isPending || len(a.stack) != len(b.stack) {
		return false
	}
	for i := range a.stack {
		fa, fb := a.stack[i], b.stack[i]
		if fa.indent != fb.indent || fa.seq != fb.seq || fa.indentless != fb.indentless {
			return false
		}
		if !sameRole(a, fa.node, b, fb.node) {
			return false
		}
	}
	if a.isPending {
		pa, pb := a.pending, b.pending
		if pa.indent != pb.indent || pa.seqItem != pb.seqItem || pa.keep != pb.keep {
			return false
		}
		if !sameRole(a, pa.parent, b, pb.parent) {
			return false
		}
	}
	return true
}

// sameRole reports whether node x of scanner a and node y of scanner b are
// both dropped (nil), both the root, or both kept and not the root.
func sameRole(a *scanner, x *yaml.Node, b *scanner, y *yaml.Node) bool {
	return (x == nil) == (y == nil) && (x == a.root) == (y == b.root)
}

// scanResult is the tree from scanFile and the byte offset of each line
// start, so that a node's Line and Column give its offset in the file.
type scanResult struct {
	doc       *yaml.Node
	lineStart []int
}

// offset returns the byte offset of the 1-based line and column. Columns
// count characters, which are bytes here because every node that is patched
// follows ASCII text (indentation, keys and "- ") on its line.
func (r *scanResult) offset(line, column int) int {
	return r.lineStart[line-1] + column - 1
}

// scanCurrent returns contextconfig.current from the plain layout that
// scanFile reads; ok is false when the caller must use yaml.v3.
func scanCurrent(data []byte) (name string, ok bool) {
	res, ok := scan(data, true)
	if !ok {
		return "", false
	}
	name, err := currentOf("", res.doc)
	if err != nil {
		return "", false
	}
	return name, true
}

// parseForRead returns the node tree of data for reading, from scanFile
// when it accepts data and from yaml.v3 otherwise.
func parseForRead(path string, data []byte) (*yaml.Node, error) {
	if res, ok := scanFile(data); ok {
		return res.doc, nil
	}
	return parseYAML(path, data)
}

// frame is an open block mapping or sequence.
type frame struct {
	node   *yaml.Node // receives the children; nil when a sparse scan drops them
	indent int        // column of its keys or dashes, 0-based
	seq    bool

	// indentless marks a sequence at the same column as its parent's key.
	indentless bool
}

// pendingValue is a key or dash whose value starts on a later line, or is
// null when no deeper line follows.
type pendingValue struct {
	parent  *yaml.Node // the mapping or sequence that receives the value, or nil
	indent  int        // column of the key or dash
	seqItem bool
	keep    bool // whether a collection value keeps its children
	line    int  // position yaml.v3 gives a null value: just after ":" or "-"
	column  int
}

// blockScalar is a literal block scalar being read.
type blockScalar struct {
	node   *yaml.Node
	parent int  // indentation of the parent block; content is deeper
	indent int  // content indentation, 0 until the first content line
	chomp  byte // 0 (clip), '-' (strip) or '+' (keep)
	lines  [][]byte
}

type scanner struct {
	sparse    bool
	lines     int
	offset    int  // bytes read so far
	lastBreak bool // whether the last byte read was a line break

	lineStart []int // only in a full scan
	doc       *yaml.Node
	root      *yaml.Node
	stack     []frame
	pending   pendingValue
	isPending bool
	block     *blockScalar

	// text is the data of a full scan as a string that shares its memory
	// (see scanLines), and lineOffset the offset of the current line in
	// it. A sparse scan leaves text empty and copies the few strings it
	// keeps.
	text       string
	lineOffset int

	// nodes is the unused rest of the block newNode takes nodes from.
	nodes     []yaml.Node
	nodeBlock int // size of the last block

	// scratch receives scalars that a sparse scan drops.
	scratch yaml.Node

	// scalarLimit is the deepest indentation the next content line may
	// have after a scalar that ended a line; -1 when unrestricted.
	scalarLimit int
}

func (s *scanner) line(line []byte, n int) bool {
	indent := 0
	for indent < len(line) && line[indent] == ' ' {
		indent++
	}
	rest := line[indent:]

	if s.block != nil {
		switch {
		case len(line) == 0:
			s.block.lines = append(s.block.lines, nil)
			return true
		case len(rest) == 0:
			return false
		case s.block.indent == 0 && indent > s.block.parent:
			s.block.indent = indent
		}
		if s.block.indent > 0 && indent >= s.block.indent {
			s.block.lines = append(s.block.lines, line[s.block.indent:])
			return true
		}
		if !s.endBlock() {
			return false
		}
	}

	if len(rest) == 0 {
		return len(line) == 0
	}
	if rest[0] == '#' {
		return true
	}
	if indent == 0 && (bytes.HasPrefix(rest, []byte("---")) || bytes.HasPrefix(rest, []byte("..."))) {
		return false
	}
	if s.scalarLimit >= 0 {
		if indent > s.scalarLimit {
			return false
		}
		s.scalarLimit = -1
	}

	dash := isDash(rest)
	if s.isPending {
		p := s.pending
		s.isPending = false
		if indent > p.indent || (indent == p.indent && dash && !p.seqItem) {
			node := s.open(p.parent, dash, p.keep, n, indent)
			s.stack = append(s.stack, frame{node: node, indent: indent, seq: dash, indentless: indent == p.indent})
		} else {
			s.add(p.parent, s.nullNode(p.line, p.column))
		}
	}

	for len(s.stack) > 0 {
		top := s.stack[len(s.stack)-1]
		if top.indent > indent || (top.indent == indent && top.indentless && !dash) {
			s.stack = s.stack[:len(s.stack)-1]
			continue
		}
		break
	}

	if len(s.stack) == 0 {
		if s.doc != nil || indent != 0 {
			return false
		}
		root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n, Column: 1}
		if dash {
			root.Kind, root.Tag = yaml.SequenceNode, "!!seq"
		}
		s.doc = &yaml.Node{Kind: yaml.DocumentNode, Line: n, Column: 1, Content: []*yaml.Node{root}}
		s.root = root
		s.stack = append(s.stack, frame{node: root, indent: 0, seq: dash})
	}

	top := s.stack[len(s.stack)-1]
	if top.indent != indent || top.seq != dash {
		return false
	}
	if dash {
		return s.sequenceItem(top.node, line, indent, n)
	}
	return s.mappingEntry(top.node, line, indent, n)
}

// mappingEntry reads "key: value" at column indent of mapping m (nil when
// dropped).
func (s *scanner) mappingEntry(m *yaml.Node, line []byte, indent, n int) bool {
	end := keyEnd(line, indent)
	if end < 0 {
		return false
	}

	keep := !s.sparse
	if m != nil {
		key := s.str(line, indent, end)
		keyNode := s.newNode()
		*keyNode = yaml.Node{Kind: yaml.ScalarNode, Tag: plainTag(key), Value: key, Line: n, Column: indent + 1}
		m.Content = append(m.Content, keyNode)
		keep = keep || (m == s.root && key == keyContextConfig)
	}
	return s.value(m, line, end+1, indent, false, keep, n)
}

// sequenceItem reads "- ..." at column indent of sequence seq.
func (s *scanner) sequenceItem(seq *yaml.Node, line []byte, indent, n int) bool {
	p := indent + 1
	for p < len(line) && line[p] == ' ' {
		p++
	}

	if p < len(line) && isDash(line[p:]) {
		return false
	}
	if p < len(line) && line[p] != '#' && keyEnd(line, p) > 0 {
		m := s.open(seq, false, !s.sparse, n, p)
		s.stack = append(s.stack, frame{node: m, indent: p})
		return s.mappingEntry(m, line, p, n)
	}
	return s.value(seq, line, indent+1, indent, true, !s.sparse, n)
}

// open adds a new mapping or sequence to parent and returns the node that
// receives its children: nil when parent is dropped or keep is false.
func (s *scanner) open(parent *yaml.Node, seq, keep bool, line, indent int) *yaml.Node {
	if parent == nil {
		return nil
	}
	node := s.newNode()
	*node = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line, Column: indent + 1}
	if seq {
		node.Kind, node.Tag = yaml.SequenceNode, "!!seq"
	}
	parent.Content = append(parent.Content, node)
	if !keep {
		return nil
	}
	return node
}

// add appends node to parent unless parent is dropped.
func (s *scanner) add(parent, node *yaml.Node) {
	if parent != nil {
		parent.Content = append(parent.Content, node)
	}
}

// value reads the value that starts after ":" or "-" at byte pos and
// appends it to parent. indent is the column of the key or dash.
func (s *scanner) value(parent *yaml.Node, line []byte, pos, indent int, seqItem, keep bool, n int) bool {
	p := pos
	for p < len(line) && line[p] == ' ' {
		p++
	}
	if p == len(line) || line[p] == '#' {
		s.pending = pendingValue{parent: parent, indent: indent, seqItem: seqItem, keep: keep, line: n, column: pos + 1}
		s.isPending = true
		return true
	}

	// A dropped scalar is still parsed and checked, into a scratch node.
	node := &s.scratch
	if parent != nil {
		node = s.newNode()
	}
	*node = yaml.Node{Kind: yaml.ScalarNode, Line: n, Column: p + 1}
	var end int
	switch line[p] {
	case '"':
		end = s.doubleQuoted(node, line, p)
	case '\'':
		end = s.singleQuoted(node, line, p)
	case '|':
		if !s.startBlock(node, line, p, indent) {
			return false
		}
		s.add(parent, node)
		return true
	default:
		end = s.plain(node, line, p, parent != nil)
	}
	if end < 0 || !onlyComment(line, end) {
		return false
	}

	s.add(parent, node)
	s.scalarLimit = indent
	return true
}

// doubleQuoted reads a double-quoted scalar without escapes that ends on
// this line and returns the byte after the closing quote, or -1.
func (s *scanner) doubleQuoted(node *yaml.Node, line []byte, p int) int {
	closing := bytes.IndexByte(line[p+1:], '"')
	if closing < 0 {
		return -1
	}
	text := line[p+1 : p+1+closing]
	if bytes.IndexByte(text, '\\') >= 0 {
		return -1
	}

	node.Tag, node.Style, node.Value = "!!str", yaml.DoubleQuotedStyle, s.str(line, p+1, p+1+closing)
	return p + 1 + closing + 1
}

// singleQuoted reads a single-quoted scalar that ends on this line and
// returns the byte after the closing quote, or -1.
func (s *scanner) singleQuoted(node *yaml.Node, line []byte, p int) int {
	var text []byte
	for i := p + 1; i < len(line); i++ {
		if line[i] != '\'' {
			text = append(text, line[i])
			continue
		}
		if i+1 < len(line) && line[i+1] == '\'' {
			text = append(text, '\'')
			i++
			continue
		}
		node.Tag, node.Style, node.Value = "!!str", yaml.SingleQuotedStyle, string(text)
		return i + 1
	}
	return -1
}

// str returns line[from:to] as a string. In a full scan the string shares
// the scanned data, and in a sparse one it is a copy.
func (s *scanner) str(line []byte, from, to int) string {
	if s.text != "" {
		return s.text[s.lineOffset+from : s.lineOffset+to]
	}
	return string(line[from:to])
}

// plain reads a single-line plain scalar and returns the byte after it, or
// -1 when the text is not a plain scalar this scanner accepts.
func (s *scanner) plain(node *yaml.Node, line []byte, p int, keep bool) int {
	if isIndicator(line[p]) {
		return -1
	}

	end := len(line)
	for i := p; ; {
		j := bytes.IndexByte(line[i:end], '#')
		if j < 0 {
			break
		}
		if line[i+j-1] == ' ' {
			end = i + j
			break
		}
		i += j + 1
	}
	for end > p && line[end-1] == ' ' {
		end--
	}

	text := line[p:end]
	if bytes.Contains(text, []byte(": ")) || text[len(text)-1] == ':' {
		return -1
	}

	if keep {
		node.Value = s.str(line, p, end)
		node.Tag = plainTag(node.Value)
	}
	return end
}

// startBlock reads the header of a literal block scalar ("|", "|-", "|+").
func (s *scanner) startBlock(node *yaml.Node, line []byte, p, indent int) bool {
	b := &blockScalar{node: node, parent: indent}
	end := p + 1
	if end < len(line) && (line[end] == '-' || line[end] == '+') {
		b.chomp = line[end]
		end++
	}
	if end < len(line) && line[end] != ' ' {
		return false
	}
	if !onlyComment(line, end) {
		return false
	}

	node.Tag, node.Style = "!!str", yaml.LiteralStyle
	s.block = b
	return true
}

// endBlock sets the value of the block scalar being read from its lines.
func (s *scanner) endBlock() bool {
	b := s.block
	s.block = nil
	s.scalarLimit = b.parent

	last := len(b.lines) - 1
	for last >= 0 && b.lines[last] == nil {
		last--
	}
	if last < 0 {
		return false
	}

	keep := b.lines[:last+1]
	if b.chomp == '+' {
		keep = b.lines
	}
	value := bytes.Join(keep, []byte("\n"))
	if b.chomp != '-' {
		value = append(value, '\n')
	}
	b.node.Value = string(value)
	return true
}

// finish closes what is still open at the end of the file.
func (s *scanner) finish() (*scanResult, bool) {
	if s.block != nil {
		// Without a final line break the last line has no break to chomp.
		if !s.lastBreak || !s.endBlock() {
			return nil, false
		}
	}
	if s.isPending {
		s.add(s.pending.parent, s.nullNode(s.pending.line, s.pending.column))
	}

	doc := s.doc
	if doc == nil {
		doc = &yaml.Node{}
	}
	return &scanResult{doc: doc, lineStart: s.lineStart}, true
}

// maxKeyLength keeps keys well below libyaml's limit of 1024 characters
// for a simple key; longer ones fall back and get yaml.v3's error.
const maxKeyLength = 256

// keyEnd returns the end of a plain key starting at p when it is followed by
// ":" and a space or the line end, -1 otherwise.
func keyEnd(line []byte, p int) int {
	if p >= len(line) || !isKeyStart(line[p]) {
		return -1
	}
	end := p + 1
	for end < len(line) && isKeyByte(line[end]) {
		end++
	}
	if end >= len(line) || line[end] != ':' || end-p > maxKeyLength {
		return -1
	}
	if end+1 < len(line) && line[end+1] != ' ' {
		return -1
	}
	return end
}

// onlyComment reports whether line holds nothing after end but spaces and an
// optional comment that follows a space.
func onlyComment(line []byte, end int) bool {
	p := end
	for p < len(line) && line[p] == ' ' {
		p++
	}
	return p == len(line) || (line[p] == '#' && p > end)
}

func isDash(rest []byte) bool {
	return rest[0] == '-' && (len(rest) == 1 || rest[1] == ' ')
}

func isKeyStart(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

func isKeyByte(c byte) bool {
	return isKeyStart(c) || c == '.' || c == '-' || c == '/'
}

// isIndicator reports YAML indicator characters, which cannot start a plain
// scalar ("-", "?" and ":" can in some positions; they fall back here).
func isIndicator(c byte) bool {
	switch c {
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return true
	}
	return false
}

// plainTag returns the tag yaml.v3 resolves for a plain scalar when a table
// lookup finds it, and "" otherwise. yaml.Node.ShortTag resolves "" the same
// way yaml.v3 does.
func plainTag(value string) string {
	switch value {
	case "", "~", "null", "Null", "NULL":
		return "!!null"
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return "!!bool"
	case "<<":
		return "!!merge"
	}
	c := value[0]
	if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') {
		return "!!str"
	}
	if '0' <= c && c <= '9' && notNumberOrTime(value) {
		return "!!str"
	}
	return ""
}

// notNumberOrTime reports whether value, which starts with a digit, holds a
// letter that no integer, float or timestamp yaml.v3 resolves can hold.
// Those use only digits, "_+-.: ", e and E in exponents, t, T, z and Z in
// timestamps, and the letters of 0x, 0o and 0b literals. yaml.v3 drops
// underscores before it parses a number, so "0_x1F" is 0x1F. Subjects such
// as UUIDs then resolve without yaml.v3 trying strconv on them.
func notNumberOrTime(value string) bool {
	second := strings.TrimLeft(value[1:], "_")
	if value[0] == '0' && second != "" && strings.ContainsRune("xXoObB", rune(second[0])) {
		return false
	}
	for i := 1; i < len(value); i++ {
		c := value[i] | 0x20 // lower case for letters
		if 'a' <= c && c <= 'z' && c != 'e' && c != 't' && c != 'z' {
			return true
		}
	}
	return false
}

func (s *scanner) nullNode(line, column int) *yaml.Node {
	node := s.newNode()
	*node = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: line, Column: column}
	return node
}

// newNode returns a zero node from a block of nodes, one allocation for
// many nodes. Blocks grow from 16 nodes so that small files stay cheap.
func (s *scanner) newNode() *yaml.Node {
	if len(s.nodes) == 0 {
		s.nodeBlock = min(max(2*s.nodeBlock, 16), maxNodeBlock)
		s.nodes = make([]yaml.Node, s.nodeBlock)
	}
	node := &s.nodes[0]
	s.nodes = s.nodes[1:]
	return node
}

// maxNodeBlock is the largest number of nodes newNode allocates at once.
const maxNodeBlock = 256

// printableText reports whether data holds only "\n", printable ASCII and
// valid UTF-8 for printable characters that libyaml reads as text: NEL,
// U+2028 and U+2029 are line breaks there, and a BOM is special. It tests
// eight bytes at a time and looks closer only at words that have a byte
// outside 0x20-0x7E.
func printableText(data []byte) bool {
	const ones = 0x0101010101010101
	const highs = 0x8080808080808080

	i := 0
	for i+8 <= len(data) {
		w := binary.LittleEndian.Uint64(data[i:])
		below := (w - ones*0x20) &^ w & highs
		above := ((w + ones*(127-0x7e)) | w) & highs
		if below|above == 0 {
			i += 8
			continue
		}
		if !printableRange(data, &i, i+8) {
			return false
		}
	}
	return printableRange(data, &i, len(data))
}

// printableRange checks data[*i:end] byte by byte, continuing past end to
// finish a UTF-8 sequence, and leaves *i after the last byte checked.
func printableRange(data []byte, i *int, end int) bool {
	for *i < end {
		c := data[*i]
		switch {
		case c == '\n' || (0x20 <= c && c <= 0x7e):
			*i++
		case c < 0x80:
			return false
		default:
			r, size := utf8.DecodeRune(data[*i:])
			if !printableRune(r) || (r == utf8.RuneError && size <= 1) {
				return false
			}
			*i += size
		}
	}
	return true
}

func printableRune(r rune) bool {
	switch {
	case r == 0x2028 || r == 0x2029 || r == 0xFEFF:
		return false
	case 0xA0 <= r && r <= 0xD7FF, 0xE000 <= r && r <= 0xFFFD, 0x10000 <= r && r <= 0x10FFFF:
		return true
	}
	return false
}
