package api_test

import (
	"bytes"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
	"github.com/dubanhq/duban/web/webtest"
)

// list is a list answer of items of type T.
type list[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// comparison is the answer comparing two versions of a report.
type comparison struct {
	Changes []cycle.FieldChange `json:"changes"`
}

// clerkToken makes a clerk's account of a unit with an API token.
func (f *apiFixture) clerkToken(name, unit string) string {
	f.t.Helper()
	u := &duban.User{Name: name, DisplayName: unit + "联络员" + name, Role: duban.RoleClerk, UnitID: f.mustUnit(unit).ID}
	if err := f.svc.Users.CreateUser(f.office, u); err != nil {
		f.t.Fatal(err)
	}
	secret, err := f.svc.Auth.CreateAPIToken(f.office, &duban.APIToken{UserID: u.ID, Name: "脚本"})
	if err != nil {
		f.t.Fatal(err)
	}
	return secret
}

// as sends a request with a token and, when match is not "", If-Match.
func (f *apiFixture) as(token, match string, req apiRequest) *apiResponse {
	f.t.Helper()
	req.header = http.Header{"Authorization": {"Bearer " + token}}
	if match != "" {
		req.header.Set("If-Match", match)
	}
	return f.send(http.DefaultClient, req)
}

// mustAs is as, failing the test unless the status is want.
func (f *apiFixture) mustAs(token, match string, want int, req apiRequest) *apiResponse {
	f.t.Helper()
	r := f.as(token, match, req)
	if r.Status != want {
		f.t.Fatalf("%s %s: got %d, want %d:\n%s", req.method, req.path, r.Status, want, r.Body)
	}
	return r
}

// TestAPIReports has scripts report through the API on both stores: a
// report saved with If-Match on the version its ETag names (428 without
// it, 412 naming who saved first when another did), evidence uploaded and
// named by hash, handed in, returned and compared; another unit's clerk
// refused.
func TestAPIReports(t *testing.T) {
	sqldbtest.ForEachDB(t, func(t *testing.T, db *sqldb.DB) {
		f := newAPIFixtureOn(t, db, true)
		office := f.tokens[duban.RoleAdmin]
		plan := strconv.FormatInt(f.plan.ID, 10)
		created := f.mustAs(office, "", http.StatusCreated, reqSend("POST", "/api/v1/plans/"+plan+"/periods", nil))
		var periods list[*cycle.Period]
		created.decode(t, &periods)
		july := periods.Items[6]
		f.mustAs(office, "", http.StatusOK, reqSend("PATCH", "/api/v1/periods/"+strconv.FormatInt(july.ID, 10), map[string]any{"state": "open"}))
		var open list[*cycle.Period]
		f.mustAs(office, "", http.StatusOK, reqGet("/api/v1/plans/"+plan+"/periods?state=open")).decode(t, &open)
		if open.Total != 1 || open.Items[0].ID != july.ID {
			t.Fatalf("open periods: got %+v", open.Items)
		}

		tasks, _ := f.mustTasks(duban.TaskFilter{PlanID: &f.plan.ID, Query: "新增高新技术企业"})
		if len(tasks) != 1 {
			t.Fatalf("task 2.1.3: got %d tasks", len(tasks))
		}
		task := tasks[0]
		zhang, li := f.clerkToken("zhang", "区科学技术局"), f.clerkToken("li", "区科学技术局")

		// A file first, named by its hash in the report.
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("files", "企业名单.pdf")
		fw.Write([]byte(webtest.SamplePDF + "api"))
		mw.Close()
		up := f.mustAs(zhang, "", http.StatusCreated, apiRequest{method: "POST", path: "/api/v1/evidence", raw: body.Bytes(), contentType: mw.FormDataContentType()})
		var files list[cycle.EvidenceRef]
		up.decode(t, &files)
		if len(files.Items) != 1 || files.Items[0].Type != "application/pdf" {
			t.Fatalf("the upload: %+v", files.Items)
		}

		r := f.mustAs(zhang, "", http.StatusCreated, reqSend("POST", "/api/v1/reports", map[string]any{
			"task_id": task.ID, "period_id": july.ID, "progress": "已走访企业 40 家", "completion": 30,
			"actuals": []string{"约四十家"}, "evidence": []string{files.Items[0].SHA256}}))
		var rep cycle.Report
		r.decode(t, &rep)
		if r.Header.Get("ETag") != `"v1"` || rep.Kind != cycle.ReportTask || rep.Actuals[0].Problem == "" || len(rep.Evidence) != 1 {
			t.Fatalf("the first version: ETag %q, %+v", r.Header.Get("ETag"), rep)
		}
		path := "/api/v1/reports/" + strconv.FormatInt(rep.ID, 10)
		if tag := f.mustAs(li, "", http.StatusOK, reqGet(path)).Header.Get("ETag"); tag != `"v1"` {
			t.Errorf("GET: ETag %q, want \"v1\"", tag)
		}

		// A change must name its version.
		noMatch := f.as(zhang, "", reqSend("PATCH", path, map[string]any{"completion": 35}))
		if noMatch.Status != http.StatusPreconditionRequired || noMatch.errorCode() != duban.EPRECONDREQUIRED {
			t.Errorf("PATCH without If-Match: got %d %s, want 428", noMatch.Status, noMatch.Body)
		}
		f.mustAs(zhang, "bogus", http.StatusBadRequest, reqSend("PATCH", path, map[string]any{"completion": 35}))
		first := f.mustAs(zhang, `"v1"`, http.StatusOK, reqSend("PATCH", path, map[string]any{"completion": 40, "actuals": []string{"45家"}}))
		if first.Header.Get("ETag") != `"v2"` {
			t.Errorf("after a save: ETag %q, want \"v2\"", first.Header.Get("ETag"))
		}
		late := f.as(li, `"v1"`, reqSend("PATCH", path, map[string]any{"completion": 50}))
		if late.Status != http.StatusPreconditionFailed || late.errorCode() != duban.EPRECONDITION ||
			!strings.Contains(string(late.Body), "已由区科学技术局联络员zhang") || !strings.Contains(string(late.Body), "第 2 版") {
			t.Errorf("a save from version 1 after version 2: got %d %s, want 412 naming zhang", late.Status, late.Body)
		}
		stored, err := f.svc.Reports.FindReportByID(f.office, rep.ID)
		if err != nil || stored.Completion != 40 {
			t.Errorf("the refused save changed the report: %d (%v)", stored.Completion, err)
		}
		// "*" matches whatever version is current.
		f.mustAs(li, "*", http.StatusOK, reqSend("PATCH", path, map[string]any{"state": "submitted"}))

		// Another unit's clerk reads nothing of it.
		other := f.tokens[duban.RoleClerk]
		for _, p := range []string{path, path + "/versions", path + "/compare", path + "/files/1"} {
			if r := f.as(other, "", reqGet(p)); r.Status != http.StatusForbidden {
				t.Errorf("GET %s as another unit: got %d, want 403", p, r.Status)
			}
		}
		var mine list[*cycle.Report]
		f.mustAs(other, "", http.StatusOK, reqGet("/api/v1/reports?period="+strconv.FormatInt(july.ID, 10))).decode(t, &mine)
		if mine.Total != 0 {
			t.Errorf("another unit lists %d reports, want none", mine.Total)
		}

		// The office returns it; the versions and their comparison show it.
		f.mustAs(office, `"v3"`, http.StatusOK, reqSend("PATCH", path, map[string]any{"state": "returned", "return_reason": "请附名单"}))
		var versions list[*cycle.ReportVersion]
		f.mustAs(zhang, "", http.StatusOK, reqGet(path+"/versions")).decode(t, &versions)
		if versions.Total != 4 {
			t.Errorf("versions: got %d, want 4", versions.Total)
		}
		var c comparison
		f.mustAs(zhang, "", http.StatusOK, reqGet(path+"/compare?a=1&b=4")).decode(t, &c)
		var fields []string
		for _, ch := range c.Changes {
			fields = append(fields, ch.Field)
		}
		if got := strings.Join(fields, " "); got != "state completion actual.0 return_reason" {
			t.Errorf("version 1 against 4: got %q", got)
		}
		file := f.mustAs(zhang, "", http.StatusOK, reqGet(path+"/files/1"))
		if disp, params, _ := mime.ParseMediaType(file.Header.Get("Content-Disposition")); disp != "attachment" || params["filename"] != "企业名单.pdf" ||
			file.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(file.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("the file's headers: %v", file.Header)
		}
		var obls list[*cycle.Obligation]
		f.mustAs(zhang, "", http.StatusOK, reqGet(fmt.Sprintf("/api/v1/obligations?period=%d&open=yes", july.ID))).decode(t, &obls)
		returned := false
		for _, o := range obls.Items {
			returned = returned || o.TaskID == task.ID && o.State == cycle.ReportReturned && o.ReturnReason == "请附名单"
		}
		if !returned {
			t.Errorf("the unit's open obligations do not show the returned report: %+v", obls.Items)
		}
		var lights list[*cycle.Light]
		f.mustAs(office, "", http.StatusOK, reqGet(fmt.Sprintf("/api/v1/lights?task=%d&latest=yes", task.ID))).decode(t, &lights)
		if lights.Total != 1 || lights.Items[0].Reason == "" {
			t.Errorf("the task's light: %+v", lights.Items)
		}
	})
}
