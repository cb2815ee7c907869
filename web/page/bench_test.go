package page_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/webtest"
)

// BenchmarkPages renders the pages duban bench reads, in process and
// without the page cache, over the made-up ledger of 20 plans × 300 tasks ×
// 150 units: what each costs the server when the data keeps changing, as
// in the weeks when every unit reports (duban bench measures the same over
// HTTP from a second process). A request is signed in as a clerk; each
// walks on to the next unit.
func BenchmarkPages(b *testing.B) {
	db, err := sqldb.Open(b.Context(), filepath.Join(b.TempDir(), "duban.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc := webtest.Services(db)
	if _, err := demo.LoadSynthetic(officeCtx, demo.Services{Plans: svc.Plans, Tasks: svc.Tasks, Units: svc.Units}, demo.FullSize); err != nil {
		b.Fatal(err)
	}
	units, _, err := svc.Units.FindUnits(officeCtx, duban.UnitFilter{})
	if err != nil {
		b.Fatal(err)
	}
	u := &duban.User{Name: clerk, DisplayName: "联络员", Role: duban.RoleClerk, UnitID: units[0].ID}
	if err := svc.Users.CreateUser(officeCtx, u); err != nil {
		b.Fatal(err)
	}
	if err := svc.Auth.SetPassword(officeCtx, u.ID, password(clerk)); err != nil {
		b.Fatal(err)
	}
	_, token, err := svc.Auth.Login(b.Context(), duban.Credentials{Name: clerk, Password: password(clerk)})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := webtest.NewServer(web.Config{Logger: slog.New(slog.DiscardHandler), PageCache: -1}, svc)
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	for _, page := range []struct{ name, path string }{
		{"ledger by unit", "/tasks?unit=%d"},
		{"unit page", "/units/%d"},
	} {
		b.Run(page.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				req := httptest.NewRequest("GET", fmt.Sprintf(page.path, units[i%len(units)].ID), nil)
				req.AddCookie(&http.Cookie{Name: "duban_session", Value: token})
				req.AddCookie(&http.Cookie{Name: "duban_csrf", Value: "a-csrf-token-of-the-browser-0123456789"})
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: status %d", req.URL, rec.Code)
				}
				i++
			}
		})
	}
}
