package web

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/dubanhq/duban/export"
)

// Download answers with a file to save: written into memory first, so that
// a failure is still answered as a page or as JSON rather than as half a
// file, then sent with its name (in UTF-8, as RFC 6266 allows) and type.
// Nothing a file holds is cached by a proxy or the browser.
func Download(w http.ResponseWriter, name, contentType string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	buf.WriteTo(w) // a client gone mid-file has nobody to tell
	return nil
}

// Exports are the services package export makes the cycle's files from,
// the server's own, dated by its clock.
func (s *Server) Exports() *export.Services {
	return &export.Services{
		Plans: s.svc.Plans, Tasks: s.svc.Tasks, Units: s.svc.Units, Leaders: s.svc.Leaders,
		Periods: s.svc.Periods, Reports: s.svc.Reports, Lights: s.svc.Lights, Reminders: s.svc.Reminders,
		Bulletins: s.svc.Bulletins, Groups: s.svc.Units, Today: s.Today,
	}
}
