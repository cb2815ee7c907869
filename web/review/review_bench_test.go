package review_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/webtest"
)

// warnedNotice is a notice of n numbered tasks in one paragraph, each with
// a number the reader warns about ("完成投资 7 左右" has no unit), as a
// careless or hostile upload may hold: n tasks and n warnings on one line.
func warnedNotice(n int) []byte {
	var b strings.Builder
	b.WriteString("关于印发 2022 年《某区政府工作报告》目标任务分解的通知\n\n## 一、大力实施测试行动\n\n### （一）测试领域\n\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "推进第%d号项目建设，完成投资 %d 左右，（牵头单位：区财政局）", i, 100+i%900)
	}
	b.WriteString("\n")
	return []byte(b.String())
}

// BenchmarkReviewPage renders a draft's review page as the office sees it,
// for a notice of 1,000, 2,000 and 4,000 warned tasks: the page's bytes
// (page-B) and the bytes allocated to make it (B/op) must grow no faster
// than the plan.
func BenchmarkReviewPage(b *testing.B) {
	for _, n := range []int{1000, 2000, 4000} {
		b.Run(fmt.Sprintf("tasks=%d", n), func(b *testing.B) {
			db, err := sqldb.Open(b.Context(), filepath.Join(b.TempDir(), "duban.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			svc := webtest.Services(db)
			rd, err := notice.Read("n.md", warnedNotice(n))
			if err != nil {
				b.Fatal(err)
			}
			if len(rd.Tasks) != n || len(rd.Warnings) != n {
				b.Fatalf("the notice reads as %d tasks and %d warnings, want %d of each", len(rd.Tasks), len(rd.Warnings), n)
			}
			res, err := svc.Plans.ImportPlan(officeCtx, duban.ImportInput{Name: "n.md", Data: warnedNotice(n), Reading: rd})
			if err != nil {
				b.Fatal(err)
			}
			u := &duban.User{Name: admin, Role: duban.RoleAdmin}
			if err := svc.Users.CreateUser(officeCtx, u); err != nil {
				b.Fatal(err)
			}
			if err := svc.Auth.SetPassword(officeCtx, u.ID, password(admin)); err != nil {
				b.Fatal(err)
			}
			_, token, err := svc.Auth.Login(b.Context(), duban.Credentials{Name: admin, Password: password(admin)})
			if err != nil {
				b.Fatal(err)
			}
			srv, err := webtest.NewServer(web.Config{Logger: slog.New(slog.DiscardHandler), PageCache: -1}, svc)
			if err != nil {
				b.Fatal(err)
			}
			h := srv.Handler()
			path := fmt.Sprintf("/plans/%d/review", res.Plan.ID)
			runtime.GC()
			b.ReportAllocs()
			size := 0
			for b.Loop() {
				req := httptest.NewRequest("GET", path, nil)
				req.AddCookie(&http.Cookie{Name: "duban_session", Value: token})
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: status %d", path, rec.Code)
				}
				size = rec.Body.Len()
			}
			b.ReportMetric(float64(size), "page-B")
		})
	}
}
