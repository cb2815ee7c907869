package outputs_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/webtest"
)

// BenchmarkOutputPages renders the overview and the public page in process
// over the made-up ledger of 20 plans × 300 tasks × 150 units, each plan
// seven months into its reporting year: the overview read afresh on every
// request (without the page cache) and kept while nothing changes (with
// it, as servers run), what each request costs the server (duban bench
// measures the kept one over HTTP). The overview walks through the plans
// as a leader; the public page is read by a crowd, each request from
// another address.
func BenchmarkOutputPages(b *testing.B) {
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
	if err := demo.SyntheticCycle(officeCtx, demo.CycleServices{Tasks: svc.Tasks, Periods: svc.Periods, Reports: svc.Reports}, plans, 7); err != nil {
		b.Fatal(err)
	}
	last := plans[len(plans)-1]
	public := true
	if _, err := svc.Publications.UpdatePublication(officeCtx, last.ID, cycle.PublicationUpdate{Public: &public}); err != nil {
		b.Fatal(err)
	}
	leaders, _, err := svc.Leaders.FindLeaders(officeCtx, duban.LeaderFilter{})
	if err != nil {
		b.Fatal(err)
	}
	u := &duban.User{Name: leader, DisplayName: "领导", Role: duban.RoleLeader, LeaderID: leaders[0].ID}
	if err := svc.Users.CreateUser(officeCtx, u); err != nil {
		b.Fatal(err)
	}
	if err := svc.Auth.SetPassword(officeCtx, u.ID, password(leader)); err != nil {
		b.Fatal(err)
	}
	_, token, err := svc.Auth.Login(b.Context(), duban.Credentials{Name: leader, Password: password(leader)})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := webtest.NewServer(web.Config{Logger: slog.New(slog.DiscardHandler), PageCache: -1}, svc)
	if err != nil {
		b.Fatal(err)
	}
	keeping, err := webtest.NewServer(web.Config{Logger: slog.New(slog.DiscardHandler)}, svc)
	if err != nil {
		b.Fatal(err)
	}
	h, kept := srv.Handler(), keeping.Handler()
	serve := func(b *testing.B, h http.Handler, path, addr string, signedIn bool) {
		req := httptest.NewRequest("GET", path, nil)
		req.RemoteAddr = addr
		if signedIn {
			req.AddCookie(&http.Cookie{Name: "duban_session", Value: token})
		}
		req.AddCookie(&http.Cookie{Name: "duban_csrf", Value: "a-csrf-token-of-the-browser-0123456789"})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: status %d", path, rec.Code)
		}
	}
	get := func(b *testing.B, path, addr string, signedIn bool) { serve(b, h, path, addr, signedIn) }
	b.Run("overview", func(b *testing.B) {
		i := 0
		for b.Loop() {
			get(b, fmt.Sprintf("/overview?plan=%d", plans[i%len(plans)].ID), "127.0.0.1:1", true)
			i++
		}
	})
	b.Run("overview kept", func(b *testing.B) {
		i := 0
		for b.Loop() {
			serve(b, kept, fmt.Sprintf("/overview?plan=%d", plans[i%len(plans)].ID), "127.0.0.1:1", true)
			i++
		}
	})
	b.Run("public page", func(b *testing.B) {
		i := 0
		for b.Loop() {
			get(b, fmt.Sprintf("/public/plans/%d", last.ID), fmt.Sprintf("10.0.%d.%d:1", i/256%256, i%256), false)
			i++
		}
	})
}
