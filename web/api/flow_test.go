package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/demo"
)

// apiBrowser is a signed-in browser: its cookies, and the CSRF token its
// pages would carry.
type apiBrowser struct {
	client *http.Client
	csrf   string
}

// browser signs in as the role's account with its password, through the
// sign-in form.
func (f *apiFixture) browser(t *testing.T, role duban.Role) *apiBrowser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &apiBrowser{client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	base, _ := url.Parse(f.url)
	cookie := func(name string) string {
		for _, c := range jar.Cookies(base) {
			if c.Name == name {
				return c.Value
			}
		}
		return ""
	}
	resp, err := b.client.Get(f.url + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	form := url.Values{"name": {f.users[role].Name}, "password": {apiPassword}, "csrf": {cookie("duban_csrf")}}
	if resp, err = b.client.PostForm(f.url+"/login", form); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: got %d, want 303", role, resp.StatusCode)
	}
	b.csrf = cookie("duban_csrf")
	return b
}

// upload is a request carrying a notice as a multipart form, as a browser
// or curl -F sends it.
func reqUpload(path, name string, data []byte, fields map[string]string) apiRequest {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	return apiRequest{method: "POST", path: path, raw: body.Bytes(), contentType: mw.FormDataContentType()}
}

// TestAPIScriptFlow follows a script of the office from its first token to
// a published plan: the office signs in once to make a token, and the
// script imports the sample notice, reviews it (statements, a split and a
// merge, a group term), finds a unit's tasks, corrects one and publishes;
// then a clerk's script sees its unit's tasks, and a corrected notice is
// compared and applied.
func TestAPIScriptFlow(t *testing.T) {
	f := newAPIFixture(t, false)

	// The office makes a token for its script, from a signed-in browser.
	b := f.browser(t, duban.RoleAdmin)
	mk := reqSend("POST", "/api/v1/tokens", map[string]any{"name": "导入脚本"})
	mk.header = http.Header{"X-Csrf-Token": {b.csrf}}
	r := f.send(b.client, mk)
	if r.Status != 201 {
		t.Fatalf("make a token: got %d %s", r.Status, r.Body)
	}
	var nt struct{ Secret string }
	r.decode(t, &nt)
	f.tokens[duban.RoleAdmin] = nt.Secret // the script uses it from now on
	office := duban.RoleAdmin

	// Import the sample: a new draft, then the same file again changes
	// nothing.
	var imp duban.ImportResult
	f.must(office, 201, reqUpload("/api/v1/plans", demo.SampleName, demo.Sample(), nil)).decode(t, &imp)
	p := imp.Plan
	if imp.Outcome != duban.ImportCreated || p.State != duban.PlanDraft || p.TaskCount == 0 || p.OpenStatements == 0 {
		t.Fatalf("import: got %s, plan #%d %s with %d tasks, %d open statements", imp.Outcome, p.ID, p.State, p.TaskCount, p.OpenStatements)
	}
	if len(imp.NewUnits) == 0 || strings.Contains(strings.Join(imp.NewUnits, "、"), f.unit.Name) {
		t.Errorf("new units: got %v; %s is known", imp.NewUnits, f.unit.Name)
	}
	again := apiRequest{method: "POST", path: "/api/v1/plans?name=" + url.QueryEscape(demo.SampleName), raw: demo.Sample(), contentType: "application/octet-stream"}
	f.must(office, 200, again).decode(t, &imp)
	if imp.Outcome != duban.ImportUnchanged || imp.Plan.ID != p.ID {
		t.Errorf("the same file again: got %s, plan #%d", imp.Outcome, imp.Plan.ID)
	}
	planPath := fmt.Sprintf("/api/v1/plans/%d", p.ID)

	// The draft is the office's alone.
	f.must(duban.RoleClerk, 404, reqGet(planPath))
	f.must(duban.RoleClerk, 404, reqGet(planPath+"/source"))
	f.must(duban.RoleClerk, 404, reqGet(planPath+"/statements"))
	var hidden apiList
	if f.must(duban.RoleClerk, 200, reqGet(fmt.Sprintf("/api/v1/tasks?plan=%d", p.ID))).decode(t, &hidden); hidden.Total != 0 {
		t.Errorf("a clerk sees %d tasks of the draft", hidden.Total)
	}

	// Decide the unassigned statements: the first becomes a task of the
	// clerk's unit, the others need no owner.
	var open struct{ Items []duban.Statement }
	f.must(office, 200, reqGet(planPath+"/statements?state=open&limit=1000")).decode(t, &open)
	if len(open.Items) != p.OpenStatements {
		t.Fatalf("open statements: got %d, want %d", len(open.Items), p.OpenStatements)
	}
	var assigned duban.Task
	f.must(office, 201, reqSend("POST", fmt.Sprintf("/api/v1/statements/%d/assign", open.Items[0].ID),
		map[string]any{"lead_units": []map[string]any{{"id": f.unit.ID}}, "deadline": "2022年底前"})).decode(t, &assigned)
	if assigned.Text != open.Items[0].Text || !assigned.HasUnit(f.unit.ID) {
		t.Errorf("assigned statement: got task %q of %+v", assigned.Text, assigned.LeadUnits)
	}
	for _, st := range open.Items[1:] {
		f.must(office, 200, reqSend("POST", fmt.Sprintf("/api/v1/statements/%d/dismiss", st.ID), map[string]any{"note": "不单独分工"}))
	}

	// Split a task and merge it back.
	var ledger struct{ Items []duban.Task }
	f.must(office, 200, reqGet(fmt.Sprintf("/api/v1/tasks?plan=%d&unit=%d&role=lead", p.ID, f.unit.ID))).decode(t, &ledger)
	if len(ledger.Items) == 0 {
		t.Fatalf("the draft's tasks led by %s: none", f.unit.Name)
	}
	task := ledger.Items[0]
	f.must(duban.RoleClerk, 404, reqGet(fmt.Sprintf("/api/v1/tasks/%d", task.ID)))
	f.must(duban.RoleClerk, 404, reqGet(fmt.Sprintf("/api/v1/tasks/%d/comments", task.ID)))
	f.must(duban.RoleClerk, 404, reqSend("POST", fmt.Sprintf("/api/v1/tasks/%d/comments", task.ID), map[string]any{"text": "草稿中的任务"}))
	var split struct{ First, Second duban.Task }
	f.must(office, 201, reqSend("POST", fmt.Sprintf("/api/v1/tasks/%d/split", task.ID), map[string]any{"at": 4})).decode(t, &split)
	if split.First.ID != task.ID || split.Second.ID == 0 || split.First.Text+split.Second.Text == "" {
		t.Fatalf("split: got %+v", split)
	}
	var merged duban.Task
	f.must(office, 200, reqSend("POST", fmt.Sprintf("/api/v1/tasks/%d/merge", task.ID), map[string]any{"other": split.Second.ID})).decode(t, &merged)
	f.must(office, 404, reqGet(fmt.Sprintf("/api/v1/tasks/%d", split.Second.ID)))

	// Expand 各街道办事处 to the district's streets.
	var streets []int64
	for _, name := range []string{"东风街道办事处", "西湖街道办事处"} {
		var u duban.Unit
		f.must(office, 201, reqSend("POST", "/api/v1/units", map[string]any{"name": name})).decode(t, &u)
		streets = append(streets, u.ID)
	}
	var expanded apiList
	f.must(office, 200, reqSend("POST", planPath+"/expand", map[string]any{"group": "各街道办事处"})).decode(t, &expanded)
	if expanded.Total == 0 {
		t.Error("expanding 各街道办事处 changed no task")
	}
	f.must(office, 409, reqSend("POST", planPath+"/expand", map[string]any{"group": "相关街道办事处"}))

	// Correct a task found through the ledger's filters, and publish.
	var corrected duban.Task
	f.must(office, 200, reqSend("PATCH", fmt.Sprintf("/api/v1/tasks/%d", task.ID), map[string]any{"deadline": "2022年9月底前"})).decode(t, &corrected)
	if corrected.Deadline != "2022年9月底前" || corrected.Text != merged.Text {
		t.Errorf("corrected: got deadline %q, text %q", corrected.Deadline, corrected.Text)
	}
	var publication struct {
		Plan                 duban.Plan `json:"plan"`
		GroupsWithoutMembers []string   `json:"groups_without_members"`
	}
	f.must(office, 200, reqSend("POST", planPath+"/publish", nil)).decode(t, &publication)
	published := publication.Plan
	// Publishing names the group terms that reach no unit yet, as the page
	// and the command line do.
	if got := strings.Join(publication.GroupsWithoutMembers, "、"); !strings.Contains(got, "相关街道办事处") || strings.Contains(got, "各街道办事处") {
		t.Errorf("groups without members: got %q, want 相关街道办事处 and not the expanded 各街道办事处", got)
	}
	if published.State != duban.PlanPublished || published.PublishedAt.IsZero() || published.OpenStatements != 0 {
		t.Fatalf("published: got %s at %v", published.State, published.PublishedAt)
	}

	// The clerk's script now sees its unit's tasks, the corrected one among
	// them, and the unit page's count.
	var mine apiList
	f.must(duban.RoleClerk, 200, reqGet(fmt.Sprintf("/api/v1/units/%d/tasks?role=lead&limit=1000", f.unit.ID))).decode(t, &mine)
	_, want := f.mustTasks(duban.TaskFilter{UnitID: &f.unit.ID, UnitRole: duban.UnitLeads})
	if mine.Total != want || mine.Total == 0 || !strings.Contains(strings.Join(rawStrings(mine.Items), ""), "2022年9月底前") {
		t.Errorf("the clerk's led tasks: got %d, want %d, the corrected one among them", mine.Total, want)
	}
	var streetTasks apiList
	f.must(duban.RoleClerk, 200, reqGet(fmt.Sprintf("/api/v1/units/%d/tasks", streets[0]))).decode(t, &streetTasks)
	if streetTasks.Total != expanded.Total {
		t.Errorf("a street's tasks after the expansion: got %d, want %d", streetTasks.Total, expanded.Total)
	}

	// A corrected notice: compared first, changing nothing, then applied.
	reworded := strings.TrimSpace(ledgerTextOf(t, f, p.ID, task.ID))
	sample := string(demo.Sample())
	if strings.Count(sample, reworded) != 1 {
		t.Fatalf("the text to reword is not once in the sample: %q", reworded)
	}
	notice2 := []byte(strings.Replace(sample, reworded, reworded+"（更正）", 1))
	var diff duban.PlanDiff
	f.must(office, 200, reqUpload(planPath+"/diff", "更正通知.md", notice2, nil)).decode(t, &diff)
	if len(diff.Changes) != 1 || diff.Changes[0].Kind != duban.ChangeModified || !diff.Changes[0].Reworded {
		t.Fatalf("diff: got %+v", diff.Changes)
	}
	// A corrected notice that states no year is the plan's year's.
	lines := strings.SplitAfterN(string(notice2), "\n", 26)
	for i := range lines[:25] {
		lines[i] = strings.NewReplacer("2022 年", "", "〔2022〕", "").Replace(lines[i])
	}
	var undated duban.PlanDiff
	f.must(office, 200, reqUpload(planPath+"/diff", "更正通知.md", []byte(strings.Join(lines, "")), nil)).decode(t, &undated)
	if undated.Document.Year != 2022 || len(undated.Changes) != 1 {
		t.Errorf("an undated corrected notice: got year %d, %d changes; want the plan's year, 1 change", undated.Document.Year, len(undated.Changes))
	}
	f.must(office, 200, reqUpload("/api/v1/plans", "更正通知.md", notice2, nil)).decode(t, &imp)
	if imp.Outcome != duban.ImportReissue || imp.Diff == nil || len(imp.Diff.Changes) != 1 {
		t.Errorf("importing the corrected notice: got %s", imp.Outcome)
	}
	f.must(office, 200, reqUpload(planPath+"/reissue", "更正通知.md", notice2, map[string]string{"year": "2022"})).decode(t, &diff)
	var after apiList
	f.must(office, 200, reqGet(fmt.Sprintf("/api/v1/tasks?plan=%d&q=%s", p.ID, url.QueryEscape("（更正）")))).decode(t, &after)
	if after.Total != 1 {
		t.Errorf("tasks reworded by the corrected notice: got %d, want 1", after.Total)
	}
	r = f.must(office, 200, reqGet(planPath+"/source"))
	if !bytes.Equal(r.Body, notice2) || r.Header.Get("X-Duban-Issue") != "2" {
		t.Errorf("the plan's source after the re-issue: issue %s, %d bytes", r.Header.Get("X-Duban-Issue"), len(r.Body))
	}

	// Next year's notice is another plan; a unit's tasks span both years,
	// and ?year= narrows them to one.
	next := strings.NewReplacer("〔2022〕3号", "〔2023〕5号", "2022 年", "2023 年").Replace(sample)
	var imp2 duban.ImportResult
	f.must(office, 201, reqUpload("/api/v1/plans", "2023.md", []byte(next), nil)).decode(t, &imp2)
	if imp2.Plan.ID == p.ID || imp2.Plan.Year != 2023 {
		t.Fatalf("next year's notice: got plan #%d of %d", imp2.Plan.ID, imp2.Plan.Year)
	}
	var open2 struct{ Items []duban.Statement }
	f.must(office, 200, reqGet(fmt.Sprintf("/api/v1/plans/%d/statements?state=open&limit=1000", imp2.Plan.ID))).decode(t, &open2)
	for _, st := range open2.Items {
		f.must(office, 200, reqSend("POST", fmt.Sprintf("/api/v1/statements/%d/dismiss", st.ID), nil))
	}
	f.must(office, 200, reqSend("POST", fmt.Sprintf("/api/v1/plans/%d/publish", imp2.Plan.ID), nil))
	var both, only2023 apiList
	f.must(duban.RoleClerk, 200, reqGet(fmt.Sprintf("/api/v1/units/%d/tasks?role=lead", f.unit.ID))).decode(t, &both)
	f.must(duban.RoleClerk, 200, reqGet(fmt.Sprintf("/api/v1/units/%d/tasks?role=lead&year=2023", f.unit.ID))).decode(t, &only2023)
	if both.Total <= mine.Total || only2023.Total == 0 || only2023.Total >= both.Total {
		t.Errorf("the unit's led tasks: %d in 2022, %d in both years, %d in 2023", mine.Total, both.Total, only2023.Total)
	}
	var plans apiList
	f.must(duban.RoleViewer, 200, reqGet("/api/v1/plans?state=published")).decode(t, &plans)
	if plans.Total != 2 {
		t.Errorf("published plans: got %d, want 2", plans.Total)
	}

	// Every change is in the audit log, whose chain holds.
	var events apiList
	f.must(office, 200, reqGet(fmt.Sprintf("/api/v1/audit?plan=%d", p.ID))).decode(t, &events)
	if events.Total < 5 {
		t.Errorf("the plan's audit events: got %d", events.Total)
	}
	var v duban.AuditVerification
	f.must(office, 200, reqGet("/api/v1/audit/verify")).decode(t, &v)
	if !v.OK() {
		t.Errorf("audit chain: %v", v.Problems)
	}
}

// rawStrings turns raw JSON items into strings, to look for a value.
func rawStrings(items []json.RawMessage) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = string(it)
	}
	return out
}

// ledgerTextOf is words of a task of the plan (other than except) found
// once in the notice, for a corrected notice to reword.
func ledgerTextOf(t *testing.T, f *apiFixture, plan, except int64) string {
	t.Helper()
	tasks, _ := f.mustTasks(duban.TaskFilter{PlanID: &plan})
	for _, tk := range tasks {
		if tk.ID == except {
			continue
		}
		runes := []rune(tk.Text)
		for i := 0; i+12 <= len(runes); i++ {
			if part := string(runes[i : i+12]); strings.Count(string(demo.Sample()), part) == 1 {
				return part
			}
		}
	}
	t.Fatal("no task of the sample to reword")
	return ""
}

// TestAPIUploads checks what an import refuses, before anything is stored:
// a file too large (413), one the reader finds no task in, an empty one, a
// year that is no number (400).
func TestAPIUploads(t *testing.T) {
	f := newAPIFixture(t, false)
	big := bytes.Repeat([]byte("一二三四五六七八九十\n"), 21<<20/31+1)
	for _, c := range []struct {
		name string
		req  apiRequest
		want int
		code string
	}{
		{"too large a body", apiRequest{method: "POST", path: "/api/v1/plans?name=big.txt", raw: big, contentType: "text/plain"}, 413, duban.ETOOLARGE},
		{"too large a form", reqUpload("/api/v1/plans", "big.txt", big, nil), 413, duban.ETOOLARGE},
		{"no notice", reqUpload("/api/v1/plans", "hello.txt", []byte("你好"), nil), 400, duban.EINVALID},
		{"an empty body", apiRequest{method: "POST", path: "/api/v1/plans", contentType: "application/octet-stream"}, 400, duban.EINVALID},
		{"a form without the file", reqUpload("/api/v1/plans", "", nil, map[string]string{"year": "2022"}), 400, duban.EINVALID},
		{"a bad year", reqUpload("/api/v1/plans", demo.SampleName, demo.Sample(), map[string]string{"year": "二〇二二"}), 400, duban.EINVALID},
	} {
		t.Run(c.name, func(t *testing.T) {
			f.t = t
			r := f.must(duban.RoleAdmin, c.want, c.req)
			if r.errorCode() != c.code {
				t.Errorf("got %s, want code %s", r.Body, c.code)
			}
		})
	}
	var plans apiList
	f.must(duban.RoleAdmin, 200, reqGet("/api/v1/plans")).decode(t, &plans)
	if plans.Total != 0 {
		t.Errorf("refused imports left %d plans", plans.Total)
	}
}
