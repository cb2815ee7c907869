package page_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/webtest"
)

// BenchmarkPages renders the pages duban bench reads, in process, over the
// made-up ledger of 20 plans × 300 tasks × 150 units with a period open in
// the two latest plans (so that lists show lights): without the page cache,
// what each costs the server when the data keeps changing (duban bench
// measures the same over HTTP from a second process), and with it, what a
// page kept costs. A request is signed in as a clerk; each walks on to the
// next unit.
func BenchmarkPages(b *testing.B) {
	db, err := sqldb.Open(b.Context(), filepath.Join(b.TempDir(), "duban.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc := webtest.Services(db)
	plans, err := demo.LoadSynthetic(officeCtx, demo.Services{Plans: svc.Plans, Tasks: svc.Tasks, Units: svc.Units}, demo.FullSize)
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range plans[len(plans)-2:] {
		ps, err := svc.Periods.CreatePeriods(officeCtx, p.ID)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := svc.Periods.UpdatePeriod(officeCtx, ps[0].ID, cycle.PeriodUpdate{State: ref(cycle.PeriodOpen)}); err != nil {
			b.Fatal(err)
		}
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
	for _, cache := range []int{-1, 0} {
		srv, err := webtest.NewServer(web.Config{Logger: slog.New(slog.DiscardHandler), PageCache: cache}, svc)
		if err != nil {
			b.Fatal(err)
		}
		h := srv.Handler()
		get := func(b *testing.B, path string) string {
			req := httptest.NewRequest("GET", path, nil)
			req.AddCookie(&http.Cookie{Name: "duban_session", Value: token})
			req.AddCookie(&http.Cookie{Name: "duban_csrf", Value: "a-csrf-token-of-the-browser-0123456789"})
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("GET %s: status %d", req.URL, rec.Code)
			}
			return rec.Body.String()
		}
		for _, page := range []struct{ name, path string }{
			{"ledger by unit", "/tasks?unit=%d"},
			{"unit page", "/units/%d"},
		} {
			name := page.name
			if cache == 0 {
				name += ", kept"
				// Each unit's page is asked for once first, as on a
				// server that has been running.
				for _, u := range units {
					get(b, fmt.Sprintf(page.path, u.ID))
				}
			}
			b.Run(name, func(b *testing.B) {
				if !strings.Contains(get(b, fmt.Sprintf(page.path, units[0].ID)), "class=\"light light-") {
					b.Fatal("the page shows no light")
				}
				i := 0
				cpu := sqldbtest.CPU()
				for b.Loop() {
					get(b, fmt.Sprintf(page.path, units[i%len(units)].ID))
					i++
				}
				sqldbtest.ReportCPU(b, cpu)
			})
		}
	}
}
