package page_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	svc, units, _ := benchLedger(b)
	u := &duban.User{Name: clerk, DisplayName: "联络员", Role: duban.RoleClerk, UnitID: units[0].ID}
	token := benchSession(b, svc, u)
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

// benchLedger makes the made-up ledger of 20 plans × 300 tasks × 150 units
// with a period open in the two latest plans, and returns its services,
// units and open periods.
func benchLedger(b *testing.B) (web.Services, []*duban.Unit, []*cycle.Period) {
	db, err := sqldb.Open(b.Context(), filepath.Join(b.TempDir(), "duban.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	svc := webtest.Services(db)
	plans, err := demo.LoadSynthetic(officeCtx, demo.Services{Plans: svc.Plans, Tasks: svc.Tasks, Units: svc.Units}, demo.FullSize)
	if err != nil {
		b.Fatal(err)
	}
	var open []*cycle.Period
	for _, p := range plans[len(plans)-2:] {
		ps, err := svc.Periods.CreatePeriods(officeCtx, p.ID)
		if err != nil {
			b.Fatal(err)
		}
		q, err := svc.Periods.UpdatePeriod(officeCtx, ps[0].ID, cycle.PeriodUpdate{State: ref(cycle.PeriodOpen)})
		if err != nil {
			b.Fatal(err)
		}
		open = append(open, q)
	}
	units, _, err := svc.Units.FindUnits(officeCtx, duban.UnitFilter{})
	if err != nil {
		b.Fatal(err)
	}
	return svc, units, open
}

// benchSession makes an account and signs it in, returning its session's
// secret.
func benchSession(b *testing.B, svc web.Services, u *duban.User) string {
	if err := svc.Users.CreateUser(officeCtx, u); err != nil {
		b.Fatal(err)
	}
	if err := svc.Auth.SetPassword(officeCtx, u.ID, password(u.Name)); err != nil {
		b.Fatal(err)
	}
	_, token, err := svc.Auth.Login(b.Context(), duban.Credentials{Name: u.Name, Password: password(u.Name)})
	if err != nil {
		b.Fatal(err)
	}
	return token
}

// BenchmarkReportForm hands in reports through the report form as the
// units' clerks do in the deadline rush, in process, over the ledger of
// BenchmarkPages: the form asked for, then sent (a new report, handed in
// at once), each by the clerk of its unit, going round the units.
func BenchmarkReportForm(b *testing.B) {
	svc, units, open := benchLedger(b)
	type turn struct {
		token, path string
		form        url.Values
	}
	tokens := map[int64]string{}
	var turns []turn
	owed := map[int64][]turn{}
	for _, q := range open {
		tasks, _, err := svc.Tasks.FindTasks(officeCtx, duban.TaskFilter{PlanID: &q.PlanID})
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range cycle.Obligations(q, tasks, nil, nil) {
			form := url.Values{"period": {fmt.Sprint(q.ID)}, "action": {"submit"}, "progress": {"本月推进重点项目。"}, "completion": {"40"}}
			owed[o.UnitID] = append(owed[o.UnitID], turn{path: fmt.Sprintf("/tasks/%d/report", o.TaskID), form: form})
		}
	}
	for i, u := range units {
		tokens[u.ID] = benchSession(b, svc, &duban.User{Name: fmt.Sprintf("clerk-%d", i), DisplayName: u.Name + "联络员", Role: duban.RoleClerk, UnitID: u.ID})
	}
	for k := 0; ; k++ {
		n := len(turns)
		for _, u := range units {
			if k < len(owed[u.ID]) {
				t := owed[u.ID][k]
				t.token = tokens[u.ID]
				turns = append(turns, t)
			}
		}
		if len(turns) == n {
			break
		}
	}
	srv, err := webtest.NewServer(web.Config{Logger: slog.New(slog.DiscardHandler)}, svc)
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	// Each session's CSRF token, as its first page sets it.
	csrf := map[string]string{}
	do := func(t turn, method string, want int) {
		req := httptest.NewRequest(method, t.path+"?period="+t.form.Get("period"), nil)
		if method == "POST" {
			t.form.Set("csrf", csrf[t.token])
			req = httptest.NewRequest(method, t.path, strings.NewReader(t.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		req.AddCookie(&http.Cookie{Name: "duban_session", Value: t.token})
		if c := csrf[t.token]; c != "" {
			req.AddCookie(&http.Cookie{Name: "duban_csrf", Value: c})
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			b.Fatalf("%s %s: status %d, want %d: %s", method, t.path, rec.Code, want, webtest.Short(rec.Body.String()))
		}
		for _, c := range rec.Result().Cookies() {
			if c.Name == "duban_csrf" {
				csrf[t.token] = c.Value
			}
		}
	}
	i := 0
	cpu := sqldbtest.CPU()
	for b.Loop() {
		if i == len(turns) {
			b.Fatal("every report of the open periods handed in")
		}
		do(turns[i], "GET", http.StatusOK)
		do(turns[i], "POST", http.StatusSeeOther)
		i++
	}
	sqldbtest.ReportCPU(b, cpu)
}
