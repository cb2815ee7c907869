package review_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/webtest"
)

// The import and review pages, driven as the office drives them: the
// sample notice uploaded, read beside its source, corrected, its
// statements decided, names mapped, group terms expanded, published, and a
// corrected notice applied from its change list.

// The sample notice, as Markdown and as Word.
const (
	sampleMD   = "../../notice/testdata/corpus/lixia-2022/source.md"
	sampleDOCX = "../../notice/testdata/corpus/lixia-2022-docx/source.docx"
)

// newReviewWorld serves a store with an account for each role and a small
// directory, and no plan, so that the sample imports as a new draft whose
// names are mostly unknown, as in an office's first year.
func newReviewWorld(t *testing.T) *world {
	t.Helper()
	db, err := sqldb.Open(context.Background(), filepath.Join(t.TempDir(), "duban.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := webtest.Services(db)
	units := map[string]*duban.Unit{}
	for _, u := range []*duban.Unit{
		{Name: "区财政局", Kind: duban.UnitDepartment},
		{Name: "区教育和体育局", Kind: duban.UnitDepartment},
		{Name: "泉城路街道办事处", Kind: duban.UnitStreet},
		{Name: "龙洞街道办事处", Kind: duban.UnitStreet},
	} {
		if err := svc.Units.CreateUnit(officeCtx, u); err != nil {
			t.Fatal(err)
		}
		units[u.Name] = u
	}
	wuyi := &duban.Leader{Name: "武毅"}
	if err := svc.Leaders.CreateLeader(officeCtx, wuyi); err != nil {
		t.Fatal(err)
	}
	w := &world{T: t, DB: db, Log: &webtest.Buffer{}, Users: map[string]*duban.User{}}
	for _, u := range []*duban.User{
		{Name: admin, Role: duban.RoleAdmin},
		{Name: leader, Role: duban.RoleLeader, LeaderID: wuyi.ID},
		{Name: clerk, Role: duban.RoleClerk, UnitID: units["区财政局"].ID},
		{Name: otherClerk, Role: duban.RoleClerk, UnitID: units["区教育和体育局"].ID},
		{Name: viewer, Role: duban.RoleViewer},
	} {
		if err := svc.Users.CreateUser(officeCtx, u); err != nil {
			t.Fatal(err)
		}
		if err := svc.Auth.SetPassword(officeCtx, u.ID, password(u.Name)); err != nil {
			t.Fatal(err)
		}
		w.Users[u.Name] = u
	}
	if w.Server, err = webtest.NewServer(web.Config{Logger: slog.New(slog.NewTextHandler(w.Log, nil))}, svc); err != nil {
		t.Fatal(err)
	}
	w.HTTP = httptest.NewServer(w.Server.Handler())
	t.Cleanup(w.HTTP.Close)
	return w
}

// reviewUpload sends a file as the import form does (multipart, with the
// CSRF token); an empty name sends the form without a file.
func reviewUpload(t *testing.T, c *webtest.Client, path, name string, data []byte, fields url.Values) *webtest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.CSRF())
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.URL(path), &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}

// mustRead returns a file of the repository.
func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// reviewFollow checks that a form was answered with a redirect to a place
// of the review page (want, fragment included) and returns the page it
// leads to, which must show the flash.
func reviewFollow(t *testing.T, c *webtest.Client, r *webtest.Response, want, flash string) *webtest.Response {
	t.Helper()
	if r.Status != http.StatusSeeOther {
		t.Fatalf("got status %d, want 303 to %s:\n%s", r.Status, want, reviewExcerpt(r.Body))
	}
	if want != "" && r.Location() != want {
		t.Errorf("redirected to %s, want %s", r.Location(), want)
	}
	path, _, _ := strings.Cut(r.Location(), "#")
	page := c.MustGet(path, http.StatusOK)
	if got := flashOf(page.Body); !strings.Contains(got, flash) {
		t.Errorf("flash: got %q, want it to say %q", got, flash)
	}
	return page
}

var flashRE = regexp.MustCompile(`<p class="flash" role="status">([^<]*)</p>`)

func flashOf(body string) string {
	if m := flashRE.FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// reviewExcerpt is the part of a page worth reading in a failure: its alert
// or message, else its main part.
func reviewExcerpt(body string) string {
	for _, mark := range []string{`class="alert"`, `class="message"`, "<main"} {
		if i := strings.Index(body, mark); i >= 0 {
			body = body[i:]
			break
		}
	}
	return body[:min(len(body), 800)]
}

// planTasks returns the plan's tasks in force by number.
func planTasks(t *testing.T, w *world, planID int64) map[string]*duban.Task {
	t.Helper()
	tasks, _, err := w.Services().Tasks.FindTasks(officeCtx, duban.TaskFilter{PlanID: &planID})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*duban.Task{}
	for _, task := range tasks {
		out[task.No] = task
	}
	return out
}

// openStatements returns the plan's statements still to decide.
func openStatements(t *testing.T, w *world, planID int64) []*duban.Statement {
	t.Helper()
	open := duban.StatementOpen
	sts, _, err := w.Services().Tasks.FindStatements(officeCtx, duban.StatementFilter{PlanID: &planID, State: &open})
	if err != nil {
		t.Fatal(err)
	}
	return sts
}

// importSample uploads a notice as the office and returns the draft made.
func importSample(t *testing.T, w *world, c *webtest.Client, name string, data []byte) *duban.Plan {
	t.Helper()
	r := reviewUpload(t, c, "/plans/import", name, data, nil)
	if r.Status != http.StatusSeeOther || !strings.HasSuffix(r.Location(), "/review") {
		t.Fatalf("import %s: got %d to %q, want 303 to the review page:\n%s", name, r.Status, r.Location(), reviewExcerpt(r.Body))
	}
	id, err := strconv.ParseInt(strings.Split(r.Location(), "/")[2], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	page := reviewFollow(t, c, r, "", "已导入为草稿：88 项任务，9 段无人认领的段落，9 条读取提示")
	for _, want := range []string{
		"关于印发 2022 年《济南市历下区政府工作报告》目标任务分解的通知", // the plan, read
		"大力实施城市更新行动",  // a section
		"加快放大政策集成强效应", // its first area
		`id="L`,       // the source, paragraph by paragraph
		"这段文字没有分工",    // a warning, at its line
		"名录中没有的单位",    // names to map
		"各街道办事处",      // a group term to expand
	} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the review page of %s lacks %q", name, want)
		}
	}
	p, err := w.Services().Plans.FindPlanByID(officeCtx, id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportFormats imports the sample as Markdown and as Word: both make
// the same draft, shown beside its own source.
func TestImportFormats(t *testing.T) {
	for _, c := range []struct {
		file, name, line string
	}{
		{sampleMD, "lixia-2022.md", `id="L23"`},
		{sampleDOCX, "lixia-2022.docx", `id="L10"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			w := newReviewWorld(t)
			office := w.Client(admin)
			office.MustGet("/plans/import", http.StatusOK, `enctype="multipart/form-data"`, `name="file"`, "不超过 20 MB")
			p := importSample(t, w, office, c.name, mustRead(t, c.file))
			if p.State != duban.PlanDraft || p.TaskCount != 88 || p.OpenStatements != 9 {
				t.Errorf("plan: got %s with %d tasks and %d open statements, want a draft with 88 and 9", p.State, p.TaskCount, p.OpenStatements)
			}
			// The first unassigned statement is where the reader warned,
			// and its line links to the paragraph.
			page := office.MustGet(reviewPath(p.ID), http.StatusOK, c.line, c.name)
			if !strings.Contains(page.Body, `href="#`+strings.TrimSuffix(strings.TrimPrefix(c.line, `id="`), `"`)+`"`) {
				t.Errorf("no link to the paragraph %s", c.line)
			}
			// The same file again creates nothing and says where it went.
			again := reviewUpload(t, office, "/plans/import", c.name, mustRead(t, c.file), nil)
			if again.Status != http.StatusOK || !strings.Contains(again.Body, "这个文件已经导入过") ||
				!strings.Contains(again.Body, reviewPath(p.ID)) {
				t.Errorf("the same file again: got %d:\n%s", again.Status, reviewExcerpt(again.Body))
			}
			// The other format of the same notice is a new issue of the
			// plan that changes nothing.
			other := sampleDOCX
			if c.file == sampleDOCX {
				other = sampleMD
			}
			re := reviewUpload(t, office, "/plans/import", filepath.Base(other), mustRead(t, other), nil)
			if re.Status != http.StatusOK || !strings.Contains(re.Body, "新通知与文件没有差别") {
				t.Errorf("the other format: got %d, want the empty change list:\n%s", re.Status, reviewExcerpt(re.Body))
			}
			plans, _, _ := w.Services().Plans.FindPlans(officeCtx, duban.PlanFilter{})
			if len(plans) != 1 {
				t.Errorf("got %d plans, want 1", len(plans))
			}
		})
	}
}

func reviewPath(planID int64) string { return "/plans/" + strconv.FormatInt(planID, 10) + "/review" }

// TestImportRefused uploads what the import form must refuse: each answer
// is the form again with the reason, and nothing is stored.
func TestImportRefused(t *testing.T) {
	w := newReviewWorld(t)
	office := w.Client(admin)
	png := []byte("\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 64))
	for _, c := range []struct {
		name   string
		file   string
		data   []byte
		fields url.Values
		status int
		want   string
	}{
		{"no file", "", nil, nil, http.StatusBadRequest, "请选择要导入的通知文件"},
		{"an image", "notice.docx", png, nil, http.StatusBadRequest, "这是一张图片"},
		{"no tasks", "notes.txt", []byte("会议纪要\n\n今天讨论了工作安排。\n"), nil, http.StatusBadRequest, "没有找到带责任分工的任务"},
		{"empty", "empty.md", []byte("  \n"), nil, http.StatusBadRequest, "文件是空的"},
		{"bad year", "lixia.md", mustRead(t, sampleMD), url.Values{"year": {"二〇二二"}}, http.StatusBadRequest, "年份"},
	} {
		r := reviewUpload(t, office, "/plans/import", c.file, c.data, c.fields)
		if r.Status != c.status || !strings.Contains(r.Body, c.want) || !strings.Contains(r.Body, `name="file"`) {
			t.Errorf("%s: got %d, want %d with %q and the form again:\n%s", c.name, r.Status, c.status, c.want, reviewExcerpt(r.Body))
		}
	}
	// A file over the reader's limit is refused before it is read.
	big := bytes.Repeat([]byte("一"), 22<<20/3)
	// The limit it names is the one the form states, not the request's.
	if r := reviewUpload(t, office, "/plans/import", "big.txt", big, nil); r.Status != http.StatusRequestEntityTooLarge ||
		!strings.Contains(r.Body, fmt.Sprintf("不能超过 %d MB", notice.MaxInput>>20)) {
		t.Errorf("a 22 MB file: got %d, want 413 saying it is over %d MB:\n%s", r.Status, notice.MaxInput>>20, reviewExcerpt(r.Body))
	}
	office.MustGet("/plans/import", http.StatusOK, fmt.Sprintf("不超过 %d MB", notice.MaxInput>>20))
	if plans, _, _ := w.Services().Plans.FindPlans(officeCtx, duban.PlanFilter{}); len(plans) != 0 {
		t.Errorf("got %d plans after refusals, want none", len(plans))
	}
	// Only the office imports.
	for _, role := range []string{viewer, clerk, leader} {
		c := w.Client(role)
		c.MustGet("/plans/import", http.StatusForbidden, "不能导入通知")
		if r := reviewUpload(t, c, "/plans/import", "lixia.md", mustRead(t, sampleMD), nil); r.Status != http.StatusForbidden {
			t.Errorf("import as %s: got %d, want 403", role, r.Status)
		}
	}
}

// TestReviewSample reviews the sample from import to publication, then
// applies a corrected notice, as the office does.
func TestReviewSample(t *testing.T) {
	w := newReviewWorld(t)
	office := w.Client(admin)
	p := importSample(t, w, office, "lixia-2022.md", mustRead(t, sampleMD))
	review := reviewPath(p.ID)
	tasks := planTasks(t, w, p.ID)
	first := tasks["1.1.1"]
	at := func(task *duban.Task) string {
		id := strconv.FormatInt(task.ID, 10)
		return review + "?at=t" + id + "#t" + id
	}
	edit := "/review/tasks/" + strconv.FormatInt(first.ID, 10) + "/edit"

	// Drafts are the office's: others do not find them.
	w.Client(clerk).MustGet(review, http.StatusNotFound)

	// Correct a task: the form opens on the field asked for, and only what
	// changed is written.
	office.MustGet(review+"?edit="+strconv.FormatInt(first.ID, 10)+"&field=deadline", http.StatusOK,
		`action="`+edit+`"`, `name="deadline" value="" placeholder="如：2022年6月底前" autofocus`)
	r := office.Post(edit, url.Values{
		"text": {first.Text}, "lead_leaders": {"武毅"}, "lead_units": {strings.Join(duban.OwnerNames(first.LeadUnits), "、")},
		"units": {"区发改局、区财政局"}, "deadline": {"2022年底前"},
		"target_text": {"", ""}, "target_metric": {"新增项目", ""}, "target_cmp": {">=", ">="},
		"target_value": {"5", ""}, "target_upper": {"", ""}, "target_unit": {"个", ""},
	})
	reviewFollow(t, office, r, at(first), "已修改任务 1.1.1：责任单位、完成时限、量化指标。")
	got := planTasks(t, w, p.ID)["1.1.1"]
	if got.Deadline != "2022年底前" || strings.Join(duban.OwnerNames(got.ResponsibleUnits), "、") != "区发改局、区财政局" ||
		len(got.Indicators) != 1 || got.Indicators[0].Value != 5 || got.Text != first.Text {
		t.Errorf("corrected task: got %+v", got)
	}
	// A target that is no number comes back in the form, with what was
	// typed and the cursor in the targets.
	r = office.Post(edit, url.Values{"field": {"deadline"}, "target_text": {"新增项目 五 个"}, "target_metric": {"新增项目"},
		"target_cmp": {">="}, "target_value": {"五"}, "target_unit": {"个"}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "数值“五”不正确") ||
		!strings.Contains(r.Body, `name="target_text" value="新增项目 五 个" aria-label="原文" autofocus`) {
		t.Errorf("a target that is no number: got %d:\n%s", r.Status, reviewExcerpt(r.Body))
	}
	// A refusal of the service is shown the same way.
	r = office.Post(edit, url.Values{"lead_leaders": {""}, "lead_units": {""}, "units": {""}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "请至少指定一个") || !strings.Contains(r.Body, `name="lead_units" value="" autofocus`) {
		t.Errorf("a task without owners: got %d:\n%s", r.Status, reviewExcerpt(r.Body))
	}
	// Text that looks like markup is shown as text.
	r = office.Post(edit, url.Values{"text": {first.Text + `<script>alert("x")</script>`}})
	page := reviewFollow(t, office, r, at(first), "已修改任务 1.1.1：内容。")
	if strings.Contains(page.Body, `<script>alert`) || !strings.Contains(page.Body, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`) {
		t.Errorf("a task's <script> is not shown as text")
	}
	reviewFollow(t, office, office.Post(edit, url.Values{"text": {first.Text}}), at(first), "已修改任务 1.1.1：内容。")
	reviewFollow(t, office, office.Post(edit, url.Values{"text": {first.Text}}), at(first), "任务 1.1.1 没有改动。")

	// Split a task at a point of its text, by the words typed or at a
	// split point offered, and merge the parts back.
	task := tasks["1.2.1"]
	split := "/review/tasks/" + strconv.FormatInt(task.ID, 10) + "/split"
	page = office.MustGet(review+"?split="+strconv.FormatInt(task.ID, 10), http.StatusOK, `action="`+split+`"`, `name="at_text"`)
	if !strings.Contains(page.Body, `name="at" value="`) {
		t.Errorf("the split form offers no split point")
	}
	r = office.Post(split, url.Values{"at_text": {"继续发扬"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("split: got %d:\n%s", r.Status, reviewExcerpt(r.Body))
	}
	tasks = planTasks(t, w, p.ID)
	second := tasks["1.2.2"]
	if !strings.HasPrefix(second.Text, "继续发扬") {
		t.Fatalf("after the split, 1.2.2 is %q, want it to start with 继续发扬", second.Text)
	}
	reviewFollow(t, office, r, at(second), "已把任务 1.2.1 拆分为 1.2.1 和 1.2.2；其后的任务编号顺延。")
	r = office.Post(split, url.Values{"at_text": {"不存在的文字"}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "没有“不存在的文字”") {
		t.Errorf("split at words not in the text: got %d:\n%s", r.Status, reviewExcerpt(r.Body))
	}
	merge := "/review/tasks/" + strconv.FormatInt(task.ID, 10) + "/merge"
	office.MustGet(review+"?merge="+strconv.FormatInt(task.ID, 10), http.StatusOK,
		`<option value="`+strconv.FormatInt(second.ID, 10)+`" selected>1.2.2 `)
	r = office.Post(merge, url.Values{"other": {strconv.FormatInt(second.ID, 10)}})
	reviewFollow(t, office, r, at(task), "已把任务 1.2.2 并入任务 1.2.1（现为 1.2.1）；其后的任务编号前移。")
	if n := len(planTasks(t, w, p.ID)); n != 88 {
		t.Errorf("after split and merge: %d tasks, want 88", n)
	}
	// A split at an offered point: the first one.
	page = office.MustGet(review+"?split="+strconv.FormatInt(task.ID, 10), http.StatusOK)
	point := regexp.MustCompile(`name="at" value="(\d+)"`).FindStringSubmatch(page.Body)
	if point == nil {
		t.Fatal("no split point offered")
	}
	r = office.Post(split, url.Values{"at": {point[1]}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("split at %s: got %d:\n%s", point[1], r.Status, reviewExcerpt(r.Body))
	}
	tasks = planTasks(t, w, p.ID)
	r = office.Post(merge, url.Values{"other": {strconv.FormatInt(tasks["1.2.2"].ID, 10)}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("merge back: got %d:\n%s", r.Status, reviewExcerpt(r.Body))
	}

	// Publishing with statements undecided is refused, saying so.
	publish := "/plans/" + strconv.FormatInt(p.ID, 10) + "/publish"
	r = office.Post(publish, nil)
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "还有 9 段无人认领的段落没有处理") {
		t.Errorf("publish with statements open: got %d:\n%s", r.Status, reviewExcerpt(r.Body))
	}

	// Decide the statements: one gets owners and becomes a task, the rest
	// need none; each decision opens the next statement's form.
	sts := openStatements(t, w, p.ID)
	assign := "/review/statements/" + strconv.FormatInt(sts[0].ID, 10) + "/assign"
	office.MustGet(review+"?assign="+strconv.FormatInt(sts[0].ID, 10), http.StatusOK, `action="`+assign+`"`)
	r = office.Post(assign, url.Values{"lead_units": {""}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "请至少指定一个") {
		t.Errorf("assign with no owner: got %d:\n%s", r.Status, reviewExcerpt(r.Body))
	}
	r = office.Post(assign, url.Values{"lead_units": {"区发展和改革局"}, "deadline": {"2022年底前"}})
	next := review + "?assign=" + strconv.FormatInt(sts[1].ID, 10) + "#s" + strconv.FormatInt(sts[1].ID, 10)
	page = reviewFollow(t, office, r, next, "的段落已成为任务 0.0.")
	if !strings.Contains(page.Body, `action="/review/statements/`+strconv.FormatInt(sts[1].ID, 10)+`/assign"`) {
		t.Errorf("the next statement's form is not open")
	}
	for _, st := range sts[1:] {
		r = office.Post("/review/statements/"+strconv.FormatInt(st.ID, 10)+"/dismiss", url.Values{"note": {"总括性表述"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("dismiss %d: got %d:\n%s", st.ID, r.Status, reviewExcerpt(r.Body))
		}
	}
	last := strconv.FormatInt(sts[len(sts)-1].ID, 10)
	reviewFollow(t, office, r, review+"?at=s"+last+"#s"+last, "的段落已标记为无需分配。")
	r = office.Post("/review/statements/"+strconv.FormatInt(sts[1].ID, 10)+"/dismiss", nil)
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "已经处理过") {
		t.Errorf("a statement decided twice: got %d:\n%s", r.Status, reviewExcerpt(r.Body))
	}

	// Names: the full name becomes a unit of the kind chosen, and the short
	// name typed in the correction maps to it.
	units := "/plans/" + strconv.FormatInt(p.ID, 10) + "/units"
	aliases := "/plans/" + strconv.FormatInt(p.ID, 10) + "/aliases"
	office.MustGet(review, http.StatusOK, `<th scope="row">区发改局`, `<th scope="row">区发展和改革局`)
	r = office.Post(units, url.Values{"name": {"区发展和改革局"}, "kind": {"department"}, "next": {"区商务局"}})
	reviewFollow(t, office, r, review+"?name=%E5%8C%BA%E5%95%86%E5%8A%A1%E5%B1%80#names", "已把“区发展和改革局”加入单位名录（部门）。")
	r = office.Post(aliases, url.Values{"name": {"区发改局"}, "unit": {"区发改委"}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "名录中没有单位“区发改委”") || !strings.Contains(r.Body, `value="区发改委" autofocus`) {
		t.Errorf("map to a unit not in the directory: got %d:\n%s", r.Status, reviewExcerpt(r.Body))
	}
	r = office.Post(aliases, url.Values{"name": {"区发改局"}, "unit": {"区发展和改革局"}})
	page = reviewFollow(t, office, r, review+"#names", "“区发改局”已对应到单位“区发展和改革局”")
	if strings.Contains(page.Body, `<th scope="row">区发改局`) {
		t.Errorf("区发改局 is still listed as unknown after mapping")
	}
	short := "区发改局"
	devUnits, _, _ := w.Services().Units.FindUnits(officeCtx, duban.UnitFilter{Name: &short})
	if len(devUnits) != 1 || devUnits[0].Name != "区发展和改革局" {
		t.Errorf("区发改局 means %v, want 区发展和改革局", devUnits)
	}

	// Group terms: 各街道办事处 means every street; 相关街道办事处 asks
	// which.
	groups := "/plans/" + strconv.FormatInt(p.ID, 10) + "/groups"
	r = office.Post(groups, url.Values{"group": {"各街道办事处"}})
	reviewFollow(t, office, r, review+"#groups", "项任务中展开“各街道办事处”。")
	for _, task := range planTasks(t, w, p.ID) {
		for _, o := range append(task.LeadUnits, task.ResponsibleUnits...) {
			if o.Name == "各街道办事处" {
				t.Errorf("task %s still names 各街道办事处", task.No)
			}
		}
	}
	r = office.Post(groups, url.Values{"group": {"相关街道办事处"}})
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "没有说明是哪些单位") || !strings.Contains(r.Body, `name="unit"`) {
		t.Errorf("相关街道办事处 with no unit chosen: got %d:\n%s", r.Status, reviewExcerpt(r.Body))
	}
	var related *duban.Task
	for _, task := range planTasks(t, w, p.ID) {
		for _, o := range task.ResponsibleUnits {
			if o.Name == "相关街道办事处" && related == nil {
				related = task
			}
		}
	}
	if related == nil {
		t.Fatal("no task names 相关街道办事处")
	}
	office.MustGet(review+"?group=%E7%9B%B8%E5%85%B3%E8%A1%97%E9%81%93%E5%8A%9E%E4%BA%8B%E5%A4%84&task="+strconv.FormatInt(related.ID, 10), http.StatusOK,
		`name="task" value="`+strconv.FormatInt(related.ID, 10)+`" checked`)
	street := "龙洞街道办事处"
	longdong, _, _ := w.Services().Units.FindUnits(officeCtx, duban.UnitFilter{Name: &street})
	r = office.Post(groups, url.Values{"group": {"相关街道办事处"}, "tasks_listed": {"1"}, "unit": {strconv.FormatInt(longdong[0].ID, 10)}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "请勾选要展开“相关街道办事处”的任务") {
		t.Errorf("no task ticked: got %d:\n%s", r.Status, reviewExcerpt(r.Body))
	}
	r = office.Post(groups, url.Values{"group": {"相关街道办事处"}, "task": {strconv.FormatInt(related.ID, 10)},
		"unit": {strconv.FormatInt(longdong[0].ID, 10)}})
	reviewFollow(t, office, r, review+"#groups", "已在 1 项任务中展开“相关街道办事处”。")

	// Publish.
	r = office.Post(publish, nil)
	reviewFollow(t, office, r, review, "文件已发布：89 项任务")
	p, _ = w.Services().Plans.FindPlanByID(officeCtx, p.ID)
	if p.State != duban.PlanPublished {
		t.Fatalf("the plan is %s, want published", p.State)
	}
	// Now everyone reads it beside the notice, and only the office has
	// forms.
	for _, role := range []string{clerk, viewer, leader} {
		page := w.Client(role).MustGet(review, http.StatusOK, "大力实施城市更新行动", `id="L23"`)
		if strings.Contains(page.Body, "/review/tasks/") || strings.Contains(page.Body, "/aliases") {
			t.Errorf("as %s, the published plan's page has the office's forms", role)
		}
	}
	if page := office.MustGet(review, http.StatusOK); strings.Contains(page.Body, "/split") || !strings.Contains(page.Body, "?edit=") {
		t.Errorf("a published plan offers splitting, or no correction")
	}

	// A corrected notice: the change list, then applied.
	corrected := strings.Replace(string(mustRead(t, sampleMD)), "新增高新技术企业 119 家", "新增高新技术企业 125 家", 1)
	corrected = strings.Replace(corrected, "（牵头领导：李莎，牵头单位：中央商务区管委会，责任单位：区商务局、区投资促进局）",
		"（牵头领导：李莎，牵头单位：中央商务区管委会，责任单位：区商务局）", 1)
	r = reviewUpload(t, office, "/plans/import", "lixia-2022-corrected.md", []byte(corrected), nil)
	for _, want := range []string{"是已有文件的新一版通知", "改写 1 项，责任变更 1 项", "<del>119</del><ins>125</ins>", "<del>区投资促进局</del>",
		`action="/plans/` + strconv.FormatInt(p.ID, 10) + `/reissue/apply"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the change list lacks %q:\n%s", want, reviewExcerpt(r.Body))
		}
	}
	if n := len(planTasks(t, w, p.ID)); n != 89 || r.Status != http.StatusOK {
		t.Errorf("showing the change list: got %d, and %d tasks, want 200 and nothing changed", r.Status, n)
	}
	name := regexp.MustCompile(`name="name" value="([^"]*)"`).FindStringSubmatch(r.Body)
	data := regexp.MustCompile(`name="data" value="([^"]*)"`).FindStringSubmatch(r.Body)
	if name == nil || data == nil {
		t.Fatal("the change list carries no notice to apply")
	}
	r = reviewUpload(t, office, "/plans/"+strconv.FormatInt(p.ID, 10)+"/reissue/apply", "",
		nil, url.Values{"name": {html.UnescapeString(name[1])}, "data": {html.UnescapeString(data[1])}})
	reviewFollow(t, office, r, review, "已应用更正后的通知：新增 0 项，撤销 0 项，改写 1 项，责任变更 1 项")
	var changed *duban.Task
	for _, task := range planTasks(t, w, p.ID) {
		if strings.Contains(task.Text, "新增高新技术企业 125 家") {
			changed = task
		}
	}
	if changed == nil {
		t.Fatal("no task says 125 家 after the corrected notice")
	}
	entity := "task"
	events, _, err := w.Services().Audit.FindAuditEvents(officeCtx, duban.AuditFilter{Entity: &entity, EntityID: &changed.ID, Limit: 1})
	if err != nil || len(events) == 0 || !strings.Contains(events[0].Summary, "第 2 版通知") {
		t.Errorf("the task's history: got %v, %v, want the second issue's change", events, err)
	}
	// The same corrected notice again changes nothing.
	r = reviewUpload(t, office, "/plans/import", "lixia-2022-corrected.md", []byte(corrected), nil)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "这个文件已经导入过") {
		t.Errorf("the corrected notice again: got %d:\n%s", r.Status, reviewExcerpt(r.Body))
	}
	w.AuditHead()
}

// TestReissueForPlan compares a corrected notice uploaded on the plan's
// page, whose title changed so that importing would not recognise it.
func TestReissueForPlan(t *testing.T) {
	w := newReviewWorld(t)
	office := w.Client(admin)
	p := importSample(t, w, office, "lixia-2022.md", mustRead(t, sampleMD))
	corrected := strings.Replace(string(mustRead(t, sampleMD)), "历下政办字〔2022〕3号", "历下政办字〔2022〕7号", 1)
	corrected = strings.Replace(corrected, "目标任务分解的通知", "目标任务分解的通知（修订）", 1)
	corrected = strings.Replace(corrected, "新增高新技术企业 119 家", "新增高新技术企业 125 家", 1)
	id := strconv.FormatInt(p.ID, 10)
	r := reviewUpload(t, office, "/plans/"+id+"/reissue", "revised.md", []byte(corrected), nil)
	for _, want := range []string{"与文件比对", "通知信息", "历下政办字〔2022〕7号", "<del>119</del><ins>125</ins>"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the change list lacks %q:\n%s", want, reviewExcerpt(r.Body))
		}
	}
	r = reviewUpload(t, office, "/plans/"+id+"/reissue/apply", "", nil, url.Values{"name": {"revised.md"}, "data": {"not base64!"}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "没有更正后的通知") {
		t.Errorf("apply without a notice: got %d:\n%s", r.Status, reviewExcerpt(r.Body))
	}
}
