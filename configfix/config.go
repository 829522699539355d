package configfix

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// MaxConfigSize is the largest config file auth0mcp reads. Real files are
// kilobytes; Claude Code's can reach megabytes.
const MaxConfigSize = 64 << 20

// Config is one client config file as read from disk.
type Config struct {
	Client  string
	Path    string // absolute path as opened
	Target  string // where a symlink at Path points, or ""
	Where   string // which install the path belongs to, for discovered paths
	Exists  bool
	Given   bool // named with --config rather than discovered
	Project bool // a project's file: audited, never launched unless asked

	Raw    []byte
	Strict *SyntaxError // nil when the file is strict JSON
	Root   *Node        // tolerant parse; nil when even that failed
	// Loose is the error of the tolerant parse, when there is one.
	Loose *SyntaxError

	ReadErr error

	lineStarts []int // offsets where each line begins, built on first use

	audit    *Audit // the last audit, and the time it was made for
	auditFor time.Time
}

// Line returns the 1-based line of a byte offset in Raw.
func (c *Config) Line(off int) int {
	if c.lineStarts == nil {
		c.lineStarts = []int{0}
		for i, b := range c.Raw {
			if b == '\n' {
				c.lineStarts = append(c.lineStarts, i+1)
			}
		}
	}
	return sort.SearchInts(c.lineStarts, off+1)
}

// ParseOK reports whether the client can load the file at all: strict
// JSON, or JSON with comments for a client that accepts them.
func (c *Config) ParseOK() bool {
	return c.Exists && c.ReadErr == nil && (c.Strict == nil || (c.client().Comments && c.Root != nil))
}

// parseForClient parses b the way the config's client does.
func (c *Config) parseForClient(b []byte) (*Node, *SyntaxError) {
	if c.client().Comments {
		return ParseTolerant(b)
	}
	return ParseStrict(b)
}

// Load reads and parses the file at path, with the rules of client; an
// empty client is guessed from the path and the content (GuessClient). A
// missing file is not an error: Exists is false. Other read errors are
// kept in ReadErr.
func Load(path, client string) *Config {
	c := loadFile(path, client)
	if c.Client == "" {
		c.Client = GuessClient(c.Path, c.Root)
		if c.Root == nil && len(c.Raw) > 0 {
			c.Parse(c.Raw)
		}
	}
	return c
}

// LoadBytes is Load for content already in memory (a planned rewrite):
// raw is parsed as if it were the file at path.
func LoadBytes(path, client string, raw []byte) *Config {
	c := &Config{Client: client, Path: path, Exists: true}
	if abs, err := filepath.Abs(path); err == nil {
		c.Path = abs
	}
	c.Parse(raw)
	if c.Client == "" {
		c.Client = GuessClient(c.Path, c.Root)
	}
	return c
}

func loadFile(path, client string) *Config {
	c := &Config{Client: client, Path: path}
	if abs, err := filepath.Abs(path); err == nil {
		c.Path = abs
	}
	if fi, err := os.Lstat(c.Path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if t, err := filepath.EvalSymlinks(c.Path); err == nil {
			c.Target = t
		} else {
			c.Exists = true
			c.ReadErr = fmt.Errorf("%s is a symlink that cannot be followed: %w", c.Path, err)
			return c
		}
	}
	raw, err := readCapped(c.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return c
	}
	c.Exists = true
	if err != nil {
		c.ReadErr = err
		return c
	}
	c.Parse(raw)
	return c
}

// Parse sets Raw and parses it strictly and tolerantly.
func (c *Config) Parse(raw []byte) {
	c.Raw = raw
	c.lineStarts = nil
	c.audit = nil
	c.Root, c.Strict = ParseStrict(raw)
	if c.Strict != nil {
		c.Root, c.Loose = ParseTolerant(raw)
	}
}

func readCapped(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory, not a config file", path)
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(f, MaxConfigSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if n > MaxConfigSize {
		return nil, fmt.Errorf("%s is larger than %d MiB; auth0mcp does not read files that size", path, MaxConfigSize>>20)
	}
	return buf.Bytes(), nil
}
