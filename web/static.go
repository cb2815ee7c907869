package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// staticFS holds the style sheet, the script and the icon, all ours: the
// intranet has no internet, so nothing is fetched from elsewhere.
//
//go:embed static
var staticFS embed.FS

// staticFile is one static file with its hash, which versions its address.
type staticFile struct {
	data        []byte
	hash        string
	contentType string
}

// staticFiles serves the static files. Addresses carry the file's hash
// (/static/app.css?v=…), so that a browser may keep a file for a year and
// still gets the new one the moment a new binary serves it.
type staticFiles struct {
	files map[string]*staticFile
}

func loadStatic() (*staticFiles, error) {
	s := &staticFiles{files: map[string]*staticFile{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		s.files[strings.TrimPrefix(p, "static/")] = &staticFile{data: data, hash: hex.EncodeToString(sum[:8]), contentType: ct}
		return nil
	})
	return s, err
}

// url returns the versioned address of a static file. A name that is not
// there panics at template execution, which the template test catches.
func (s *staticFiles) url(name string) string {
	f, ok := s.files[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return "/static/" + name + "?v=" + f.hash
}

func (s *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := s.files[strings.TrimPrefix(r.URL.Path, "/static/")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	etag := `"` + f.hash + `"`
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("ETag", etag)
	if r.URL.Query().Get("v") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(f.data)
}
