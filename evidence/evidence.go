// Package evidence keeps uploaded evidence files (the documents and photos
// units attach to reports and answers) in a folder of the data folder, by
// the SHA-256 of their content, so that a file uploaded twice is kept once
// and a name can never choose where it lands. The folder is opened as an
// os.Root, outside any folder the server serves; files are capped in size.
// It keeps bytes only: who brought a file and where it is used is the
// store's (cycle.EvidenceService), and what a file's content is, checked
// before it is kept, the web's.
package evidence

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
)

// Store is the folder of evidence files.
type Store struct {
	root *os.Root
	max  int64
}

// Open opens (making it when missing) the folder dir, keeping files of at
// most max bytes (duban.MaxEvidenceSize when max is 0 or less).
func Open(dir string, max int64) (*Store, error) {
	if max <= 0 {
		max = cycle.MaxEvidenceSize
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	if err := root.MkdirAll("tmp", 0o750); err != nil {
		root.Close()
		return nil, fmt.Errorf("evidence: %w", err)
	}
	return &Store{root: root, max: max}, nil
}

// Close closes the folder.
func (s *Store) Close() error { return s.root.Close() }

// Max is the largest file kept, in bytes.
func (s *Store) Max() int64 { return s.max }

// SizeLabel writes a size as a form says it: 50 MB, 512 KB.
func SizeLabel(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}

// Put keeps the content read from r, uploaded under name with the media
// type the caller found in it, and returns its reference. Content over the
// cap is refused (ETOOLARGE, saying the cap) and nothing is kept.
func (s *Store) Put(r io.Reader, name, mediaType string) (cycle.EvidenceRef, error) {
	ref := cycle.EvidenceRef{Name: cleanName(name), Type: mediaType}
	var tmpName [12]byte
	rand.Read(tmpName[:])
	tmp := "tmp/" + hex.EncodeToString(tmpName[:])
	f, err := s.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return ref, fmt.Errorf("evidence: %w", err)
	}
	kept := false
	defer func() {
		if !kept {
			f.Close()
			s.root.Remove(tmp)
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, s.max+1))
	switch {
	case err != nil:
		return ref, fmt.Errorf("evidence: %w", err)
	case n > s.max:
		return ref, duban.Errorf(duban.ETOOLARGE, "附件“%s”超过 %s：请压缩或拆分后再上传。", ref.Name, SizeLabel(s.max))
	case n == 0:
		return ref, duban.Errorf(duban.EINVALID, "附件“%s”是空文件：请选择要上传的文件。", ref.Name)
	}
	if err := f.Sync(); err != nil {
		return ref, fmt.Errorf("evidence: %w", err)
	}
	if err := f.Close(); err != nil {
		return ref, fmt.Errorf("evidence: %w", err)
	}
	ref.SHA256, ref.Size = hex.EncodeToString(h.Sum(nil)), n
	if err := ref.Validate(); err != nil {
		return ref, err
	}
	final := filePath(ref.SHA256)
	if err := s.root.MkdirAll(path.Dir(final), 0o750); err != nil {
		return ref, fmt.Errorf("evidence: %w", err)
	}
	if _, err := s.root.Stat(final); err == nil {
		return ref, nil // the same content is kept already; the deferred clean-up drops this copy
	}
	if err := s.root.Rename(tmp, final); err != nil {
		return ref, fmt.Errorf("evidence: %w", err)
	}
	kept = true
	return ref, nil
}

// Open opens the file of a hash for reading.
func (s *Store) Open(sha string) (*os.File, error) {
	if b, err := hex.DecodeString(sha); err != nil || len(b) != sha256.Size || strings.ToLower(sha) != sha {
		return nil, duban.Errorf(duban.EINVALID, "附件编号“%s”不正确。", sha)
	}
	f, err := s.root.Open(filePath(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, duban.Errorf(duban.ENOTFOUND, "附件不存在：它可能尚未上传完成。")
	}
	if err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	return f, nil
}

// filePath is where a hash's file is kept: ab/abcdef…, a folder for each
// first byte, so that no folder grows too large.
func filePath(sha string) string { return sha[:2] + "/" + sha }

// cleanName keeps the last element of an uploaded name, without control
// characters, at most 200 characters.
func cleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	if name == "" || name == "." || name == ".." {
		name = "附件"
	}
	for utf8.RuneCountInString(name) > 200 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name
}
