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

// benchClient asks a server's handler for pages and sends forms in
// process, as the signed-in browsers of sessions.
type benchClient struct {
	h    http.Handler
	csrf map[string]string // each session's CSRF token, as its first page sets it
}

func (c *benchClient) do(b *testing.B, token, method, path string, form url.Values, want int) string {
	req := httptest.NewRequest(method, path, nil)
	if method == "POST" {
		form.Set("csrf", c.csrf[token])
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(&http.Cookie{Name: "duban_session", Value: token})
	if v := c.csrf[token]; v != "" {
		req.AddCookie(&http.Cookie{Name: "duban_csrf", Value: v})
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	if rec.Code != want {
		b.Fatalf("%s %s: status %d, want %d: %s", method, path, rec.Code, want, webtest.Short(rec.Body.String()))
	}
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == "duban_csrf" {
			c.csrf[token] = ck.Value
		}
	}
	return rec.Body.String()
}

// rushTurn is one report of the rush: the clerk's session, the form's
// address and what it sends.
type rushTurn struct {
	token, path string
	form        url.Values
}

// rushTurns signs in a clerk of each unit and returns the reports the
// units owe in the open periods, the units taking turns as in duban
// bench's rush.
func rushTurns(b *testing.B, svc web.Services, units []*duban.Unit, open []*cycle.Period) []rushTurn {
	owed := map[int64][]rushTurn{}
	for _, q := range open {
		tasks, _, err := svc.Tasks.FindTasks(officeCtx, duban.TaskFilter{PlanID: &q.PlanID})
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range cycle.Obligations(q, tasks, nil, nil) {
			form := url.Values{"period": {fmt.Sprint(q.ID)}, "action": {"submit"}, "progress": {"本月推进重点项目。"}, "completion": {"40"}}
			owed[o.UnitID] = append(owed[o.UnitID], rushTurn{path: fmt.Sprintf("/tasks/%d/report", o.TaskID), form: form})
		}
	}
	tokens := map[int64]string{}
	for i, u := range units {
		tokens[u.ID] = benchSession(b, svc, &duban.User{Name: fmt.Sprintf("clerk-%d", i), DisplayName: u.Name + "联络员", Role: duban.RoleClerk, UnitID: u.ID})
	}
	var turns []rushTurn
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
			return turns
		}
	}
}

// hand asks for a turn's form and sends it.
func (c *benchClient) hand(b *testing.B, t rushTurn) {
	c.do(b, t.token, "GET", t.path+"?period="+t.form.Get("period"), nil, http.StatusOK)
	c.do(b, t.token, "POST", t.path, t.form, http.StatusSeeOther)
}

// BenchmarkReportForm hands in reports through the report form as the
// units' clerks do in the deadline rush, in process, over the ledger of
// BenchmarkPages: the form asked for, then sent (a new report, handed in
// at once), each by the clerk of its unit, going round the units.
func BenchmarkReportForm(b *testing.B) {
	svc, units, open := benchLedger(b)
	turns := rushTurns(b, svc, units, open)
	srv, err := webtest.NewServer(web.Config{Logger: slog.New(slog.DiscardHandler)}, svc)
	if err != nil {
		b.Fatal(err)
	}
	c := &benchClient{h: srv.Handler(), csrf: map[string]string{}}
	i := 0
	cpu := sqldbtest.CPU()
	for b.Loop() {
		if i == len(turns) {
			b.Fatal("every report of the open periods handed in")
		}
		c.hand(b, turns[i])
		i++
	}
	sqldbtest.ReportCPU(b, cpu)
}

// BenchmarkReadsDuringRush reads the ledger of a unit and the units' pages
// in turn, with the page cache, while reports arrive as in duban bench's
// rush read at its target: a report (its form, then sent) for every 30
// reads, as 2,000 reports a minute beside 1,000 reads a second. A loop is
// a read and its share of the reports: what each read costs the server
// then, misses made by the reports' lights included.
func BenchmarkReadsDuringRush(b *testing.B) {
	svc, units, open := benchLedger(b)
	turns := rushTurns(b, svc, units, open)
	srv, err := webtest.NewServer(web.Config{Logger: slog.New(slog.DiscardHandler)}, svc)
	if err != nil {
		b.Fatal(err)
	}
	c := &benchClient{h: srv.Handler(), csrf: map[string]string{}}
	reader := turns[0].token
	paths := []string{"/tasks?unit=%d", "/units/%d"}
	for _, p := range paths {
		for _, u := range units {
			c.do(b, reader, "GET", fmt.Sprintf(p, u.ID), nil, http.StatusOK)
		}
	}
	i, k := 0, 0
	cpu := sqldbtest.CPU()
	for b.Loop() {
		if i%30 == 0 {
			if k == len(turns) {
				b.Fatal("every report of the open periods handed in")
			}
			c.hand(b, turns[k])
			k++
		}
		c.do(b, reader, "GET", fmt.Sprintf(paths[i%2], units[(i/2)%len(units)].ID), nil, http.StatusOK)
		i++
	}
	sqldbtest.ReportCPU(b, cpu)
}
