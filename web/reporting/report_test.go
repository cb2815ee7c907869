package reporting_test

import (
	"bytes"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web/webtest"
)

// The reporting cycle through the pages, as people use them: a co-unit
// reports its part, the lead unit composes the task's report beside it,
// the office returns it, the unit revises it, the office accepts it; two
// people save one report; evidence files go up and come down.

// cycleWorld is a world with clerks of the units of task 2.1.3, which
// 区科学技术局 leads and 区地方金融监督管理局 shares, and its reporting
// form's address.
type cycleWorld struct {
	*world
	task *duban.Task
	lead *webtest.Client // 区科学技术局's clerk
	part *webtest.Client // 区地方金融监督管理局's clerk
	form string
}

func newCycleWorld(t *testing.T) *cycleWorld {
	t.Helper()
	w := &cycleWorld{world: newWorld(t)}
	tasks, _, err := w.Services().Tasks.FindTasks(officeCtx, duban.TaskFilter{PlanID: &w.Plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range tasks {
		if task.No == "2.1.3" {
			w.task = task
		}
	}
	if w.task == nil {
		t.Fatal("the sample has no task 2.1.3")
	}
	w.lead = w.clerkOf(t, "keji", "区科学技术局")
	w.part = w.clerkOf(t, "jinrong", "区地方金融监督管理局")
	w.form = taskPath(w.task) + "/report"
	return w
}

// clerkOf makes a clerk's account for a unit and signs it in.
func (w *cycleWorld) clerkOf(t *testing.T, name, unit string) *webtest.Client {
	t.Helper()
	units, _, err := w.Services().Units.FindUnits(officeCtx, duban.UnitFilter{Name: &unit})
	if err != nil || len(units) == 0 {
		t.Fatalf("unit %s: %v", unit, err)
	}
	u := &duban.User{Name: name, DisplayName: unit + "联络员" + name, Role: duban.RoleClerk, UnitID: units[0].ID}
	if err := w.Services().Users.CreateUser(officeCtx, u); err != nil {
		t.Fatal(err)
	}
	if err := w.Services().Auth.SetPassword(officeCtx, u.ID, password(name)); err != nil {
		t.Fatal(err)
	}
	c := webtest.NewClient(t, w.HTTP.URL)
	c.Login(name, password(name))
	return c
}

// upload is a file sent with a form.
type upload struct {
	name string
	data []byte
}

// postMultipart sends a form with files as a browser does, with the CSRF
// token.
func postMultipart(t *testing.T, c *webtest.Client, path string, form url.Values, files ...upload) *webtest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.CSRF())
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		fw, err := mw.CreateFormFile("files", f.name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(f.data)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.URL(path), &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}

// mustStatus fails the test unless r has the status and every text.
func mustStatus(t *testing.T, what string, r *webtest.Response, status int, texts ...string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: got %d, want %d:\n%s", what, r.Status, status, short(r.Body))
	}
	for _, s := range texts {
		if !strings.Contains(r.Body, s) {
			t.Errorf("%s: the answer lacks %q:\n%s", what, s, short(r.Body))
		}
	}
}

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

// version reads the version a form was made from.
func version(t *testing.T, body string) string {
	t.Helper()
	m := versionField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the form carries no version:\n%s", short(body))
	}
	return m[1]
}

// reportOf returns the report of a unit's kind on the world's task.
func (w *cycleWorld) reportOf(t *testing.T, kind cycle.ReportKind) *cycle.Report {
	t.Helper()
	list, _, err := w.Services().Reports.FindReports(officeCtx, cycle.ReportFilter{TaskID: &w.task.ID, Kind: &kind})
	if err != nil || len(list) != 1 {
		t.Fatalf("the %s report of 2.1.3: got %d (%v)", kind, len(list), err)
	}
	return list[0]
}

func TestReportingPeriodPages(t *testing.T) {
	w := newCycleWorld(t)
	office := w.Client(admin)

	// The co-unit finds its part in its to-do list and hands it in.
	w.part.MustGet("/todo", http.StatusOK, "任务 2.1.3", "分项报告", "未填报", "2022年7月")
	r := w.part.MustGet(w.form, http.StatusOK, "本单位承担部分的完成进度")
	if strings.Contains(r.Body, `class="parts"`) {
		t.Error("a co-unit's form shows the parts beside it")
	}
	mustStatus(t, "the part handed in", postMultipart(t, w.part, w.form, url.Values{"version": {version(t, r.Body)},
		"progress": {"已对接 12 家企业。"}, "completion": {"50"}, "actual.0": {"12家"}, "action": {"submit"}}), http.StatusSeeOther)
	if r := w.part.MustGet("/todo", http.StatusOK); !regexp.MustCompile(`任务 2\.1\.3</span>\s*<span class="kind">分项报告</span>\s*<span class="tag ok">已报送`).MatchString(r.Body) {
		t.Errorf("the to-do list does not say the part was handed in:\n%s", short(r.Body))
	}

	// The lead unit composes beside the part.
	r = w.lead.MustGet(w.form, http.StatusOK, "任务总体完成进度", "已对接 12 家企业。", "区地方金融监督管理局：12家",
		"各单位分项报告（已报送 1 / 2）", "历下控股集团")
	// An actual it cannot read is refused on submitting, with everything
	// typed kept and the reason beside the field.
	typed := url.Values{"version": {version(t, r.Body)}, "progress": {"全区新认定高新技术企业，正在统计。"}, "completion": {"40"},
		"actual.0": {"约四十家"}, "problems": {"统计口径待明确"}, "action": {"submit"}}
	mustStatus(t, "an unreadable actual submitted", postMultipart(t, w.lead, w.form, typed), http.StatusBadRequest,
		"约四十家", "不是确切的数字", "全区新认定高新技术企业，正在统计。", "统计口径待明确", `value="40"`)
	// As a draft it is kept, message and all.
	typed.Set("action", "save")
	mustStatus(t, "the draft saved", postMultipart(t, w.lead, w.form, typed), http.StatusSeeOther)
	r = w.lead.MustGet(w.form, http.StatusOK, "约四十家", "不是确切的数字")
	typed.Set("version", version(t, r.Body))
	typed.Set("actual.0", "45家")
	typed.Set("action", "submit")
	mustStatus(t, "the task's report handed in", postMultipart(t, w.lead, w.form, typed), http.StatusSeeOther)
	report := w.reportOf(t, cycle.ReportTask)
	if report.State != cycle.ReportSubmitted || report.Completion != 40 || report.Actuals[0].Text != "45家" {
		t.Fatalf("the task's report: got %s %d%% %+v", report.State, report.Completion, report.Actuals)
	}

	// The office finds it in the queue; returning needs a reason, and a
	// refusal keeps the choice.
	id := strconv.FormatInt(report.ID, 10)
	office.MustGet("/reports", http.StatusOK, "2.1.3", "区科学技术局", "40%")
	pick := url.Values{"report": {id}, "version." + id: {strconv.Itoa(report.Version)}, "action": {"return"}}
	office.MustPost("/reports/review", pick, http.StatusBadRequest, "退回报告请填写理由", `value="`+id+`" id="pick`+id+`" checked`)
	pick.Set("reason", "请附高新技术企业名单")
	office.MustPost("/reports/review", pick, http.StatusSeeOther)
	w.lead.MustGet("/todo", http.StatusOK, "已退回", "退回理由：请附高新技术企业名单")

	// The unit revises and hands it in again.
	r = w.lead.MustGet(w.form, http.StatusOK, "督查室退回了这份报告：请附高新技术企业名单", "重新报送")
	mustStatus(t, "resubmitted", postMultipart(t, w.lead, w.form, url.Values{"version": {version(t, r.Body)},
		"progress": {"全区新认定高新技术企业 45 家，名单见附件。"}, "completion": {"60"}, "actual.0": {"45家"}, "action": {"submit"}},
		upload{"高新技术企业名单.pdf", []byte(webtest.SamplePDF)}), http.StatusSeeOther)
	report = w.reportOf(t, cycle.ReportTask)
	if report.State != cycle.ReportResubmitted || len(report.Evidence) != 1 {
		t.Fatalf("resubmitted: got %s with %d files", report.State, len(report.Evidence))
	}

	// The office accepts it from the report's page; the light follows.
	office.MustGet(reportPath(report), http.StatusOK, "已重新报送", "高新技术企业名单.pdf", "审核通过", "各单位分项报告")
	office.MustPost("/reports/review", url.Values{"report": {id}, "version." + id: {strconv.Itoa(report.Version)},
		"action": {"accept"}, "back": {reportPath(report)}}, http.StatusSeeOther)
	office.MustGet(reportPath(report), http.StatusOK, "已审核通过", "第 5 版")
	office.MustGet(reportPath(report)+"/compare?a=2&b=5", http.StatusOK, "比较第 2 版和第 5 版",
		"全区新认定高新技术企业，正在统计。", "全区新认定高新技术企业 45 家，名单见附件。", "请附高新技术企业名单", "高新技术企业名单.pdf")
	light, _, err := w.Services().Lights.FindLights(officeCtx, cycle.LightFilter{TaskID: &w.task.ID, PeriodID: &w.Period.ID})
	if err != nil || len(light) != 1 || light[0].Completion != 60 {
		t.Fatalf("the light after acceptance: %+v (%v)", light, err)
	}
	// The task's page shows its light with the reason, by period.
	office.MustGet(taskPath(w.task), http.StatusOK, `class="light light-`+string(light[0].Status), light[0].Reason, "各期状态", "2022年7月")
	office.MustGet("/tasks?plan="+strconv.FormatInt(w.Plan.ID, 10), http.StatusOK, light[0].Reason)
}

func reportPath(r *cycle.Report) string { return "/reports/" + strconv.FormatInt(r.ID, 10) }

// TestReportConflictKeepsTyped has two people of one unit save the same
// report from one version: the second is refused naming the first and
// when, keeps everything typed and shows what was saved, and goes through
// once sent again.
func TestReportConflictKeepsTyped(t *testing.T) {
	w := newCycleWorld(t)
	other := w.clerkOf(t, "keji2", "区科学技术局")
	r := w.lead.MustGet(w.form, http.StatusOK)
	mustStatus(t, "the first draft", postMultipart(t, w.lead, w.form, url.Values{"version": {version(t, r.Body)},
		"progress": {"初稿"}, "action": {"save"}}), http.StatusSeeOther)
	first := w.lead.MustGet(w.form, http.StatusOK)
	second := other.MustGet(w.form, http.StatusOK)
	mustStatus(t, "the first save", postMultipart(t, w.lead, w.form, url.Values{"version": {version(t, first.Body)},
		"progress": {"甲的修改"}, "completion": {"30"}, "action": {"save"}}), http.StatusSeeOther)
	refused := postMultipart(t, other, w.form, url.Values{"version": {version(t, second.Body)},
		"progress": {"乙的修改，不能丢"}, "completion": {"35"}, "next_steps": {"乙的打算"}, "action": {"save"}})
	mustStatus(t, "the second save", refused, http.StatusConflict, "已由区科学技术局联络员keji", "保存（第 2 版）",
		"乙的修改，不能丢", "乙的打算", `value="35"`, "最新保存的内容（第 2 版", "甲的修改")
	if v := version(t, refused.Body); v != "2" {
		t.Errorf("the refused form carries version %s, want the latest, 2", v)
	}
	kind := cycle.ReportTask
	list, _, _ := w.Services().Reports.FindReports(officeCtx, cycle.ReportFilter{TaskID: &w.task.ID, Kind: &kind})
	if list[0].Progress != "甲的修改" {
		t.Errorf("the refused save changed the report: %q", list[0].Progress)
	}
	mustStatus(t, "sent again", postMultipart(t, other, w.form, url.Values{"version": {version(t, refused.Body)},
		"progress": {"乙的修改，不能丢"}, "action": {"save"}}), http.StatusSeeOther)
}

// TestEvidenceFiles uploads evidence with a report: the type read from the
// content, the size capped with the number the form shows, the file
// served as an attachment no browser runs, to those who may read the
// report only, each upload in the audit log.
func TestEvidenceFiles(t *testing.T) {
	w := newCycleWorld(t)
	limit := fmt.Sprintf("每个附件不超过 %d MB", webtest.EvidenceMax>>20)
	r := w.lead.MustGet(w.form, http.StatusOK, limit)
	typed := url.Values{"version": {version(t, r.Body)}, "progress": {"已上传佐证材料"}, "action": {"save"}}
	mustStatus(t, "a web page as evidence", postMultipart(t, w.lead, w.form, typed, upload{"名单.pdf", []byte("<!doctype html><script>x</script>")}),
		http.StatusBadRequest, "名单.pdf", "网页", "已上传佐证材料")
	big := append([]byte(webtest.SamplePDF), make([]byte, webtest.EvidenceMax)...)
	mustStatus(t, "a file over the cap", postMultipart(t, w.lead, w.form, typed, upload{"扫描件.pdf", big}),
		http.StatusRequestEntityTooLarge, "扫描件.pdf", fmt.Sprintf("超过 %d MB", webtest.EvidenceMax>>20), "已上传佐证材料")
	var many []upload
	for i := range 6 {
		many = append(many, upload{fmt.Sprintf("第%d页.pdf", i), big[:webtest.EvidenceMax-1]})
	}
	mustStatus(t, "a request over the bound", postMultipart(t, w.lead, w.form, typed, many...), http.StatusRequestEntityTooLarge,
		fmt.Sprintf("每个附件不超过 %d MB，一次最多 5 个", webtest.EvidenceMax>>20))

	before := w.AuditHead()
	mustStatus(t, "a PDF", postMultipart(t, w.lead, w.form, typed, upload{`汇报 "材料".pdf`, []byte(webtest.SamplePDF + "unique")}), http.StatusSeeOther)
	if w.AuditHead() < before+2 {
		t.Errorf("the upload and the save: the audit log grew by %d events, want 2", w.AuditHead()-before)
	}
	report := w.reportOf(t, cycle.ReportTask)
	if len(report.Evidence) != 1 || report.Evidence[0].Type != "application/pdf" {
		t.Fatalf("the report's files: %+v", report.Evidence)
	}
	file := reportPath(report) + "/files/1"
	got := w.Client(leader).MustGet(file, http.StatusOK, "%PDF")
	for name, want := range map[string]string{
		"Content-Type":            "application/pdf",
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": "sandbox",
	} {
		if v := got.Header.Get(name); !strings.Contains(v, want) {
			t.Errorf("%s: got %q, want %q", name, v, want)
		}
	}
	disp, params, err := mime.ParseMediaType(got.Header.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != `汇报 "材料".pdf` {
		t.Errorf("Content-Disposition %q: got %s %v (%v)", got.Header.Get("Content-Disposition"), disp, params, err)
	}
	// A unit with no part in the task may not have it.
	w.Client(clerk).MustGet(file, http.StatusForbidden, "不属于本单位")
	w.Client(admin).MustGet(reportPath(report)+"/files/2", http.StatusNotFound)
	// The form keeps the file unless it is unticked.
	r = w.lead.MustGet(w.form, http.StatusOK, `name="keep" value="`+report.Evidence[0].SHA256+`" checked`)
	mustStatus(t, "the file dropped", postMultipart(t, w.lead, w.form, url.Values{"version": {version(t, r.Body)},
		"progress": {"已上传佐证材料"}, "action": {"save"}}), http.StatusSeeOther)
	if report = w.reportOf(t, cycle.ReportTask); len(report.Evidence) != 0 {
		t.Errorf("after unticking: %d files", len(report.Evidence))
	}
	// The version that had it still serves it.
	w.Client(admin).MustGet(reportPath(report)+"/files/1?version=1", http.StatusOK, "%PDF")
}

// TestPeriodPages has the office set a plan's schedule and thresholds,
// close and reopen a period (which needs a reason, kept in the log), and
// enter a year's holidays the binary does not know.
func TestPeriodPages(t *testing.T) {
	w := newWorld(t)
	office := w.Client(admin)
	plan := "/plans/" + strconv.FormatInt(w.Plan.ID, 10) + "/cycle"
	office.MustGet(plan, http.StatusOK, "2022年7月", "填报中", "9月25日为星期日，顺延至9月26日", "每月 25 日前报送")
	w.Client(leader).MustGet(plan, http.StatusOK, "2022年7月")

	// Thresholds that contradict each other are refused, the form as typed.
	form := url.Values{"kind": {"quarterly"}, "due_day": {"20"}, "start": {"2022-01-01"}, "lag": {"30"}, "severe": {"20"},
		"grace": {"0"}, "reminders": {"-3, 1"}}
	office.MustPost(plan, form, http.StatusBadRequest, "严重滞后的阈值（20）应大于进度滞后的阈值（30）", `value="30"`, `value="-3, 1"`)
	form.Set("severe", "40")
	office.MustPost(plan, form, http.StatusSeeOther)
	office.MustGet(plan, http.StatusOK, "每季度末月 20 日前报送", "2022年第四季度", "2022年7月")

	period := "/periods/" + strconv.FormatInt(w.Period.ID, 10)
	office.MustPost(period, url.Values{"state": {"closed"}}, http.StatusSeeOther)
	w.Client(clerk).MustGet(taskPath(w.Task)+"/report?period="+strconv.FormatInt(w.Period.ID, 10), http.StatusConflict, "已关闭")
	office.MustPost(period, url.Values{"state": {"open"}}, http.StatusBadRequest, "请说明理由")
	office.MustPost(period, url.Values{"state": {"open"}, "reason": {"区财政局补报"}}, http.StatusSeeOther)
	office.MustGet(plan, http.StatusOK, "重新开启 1 次")
	events, _, err := w.Services().Audit.FindAuditEvents(officeCtx, duban.AuditFilter{Entity: ref("period")})
	if err != nil || len(events) == 0 || !strings.Contains(events[0].Summary, "区财政局补报") {
		t.Errorf("the reopening in the log: %+v (%v)", events, err)
	}

	// A year the binary does not know is said so, and the office enters
	// its days.
	office.MustGet("/calendar?year=2031", http.StatusOK, "程序中没有 2031 年的法定节假日安排")
	office.MustPost("/calendar", url.Values{"date": {"2031-10-01"}, "workday": {"no"}, "name": {"国庆节"}}, http.StatusSeeOther)
	r := office.MustGet("/calendar?year=2031", http.StatusOK, "2031-10-01", "国庆节", "督查室录入的日期")
	if strings.Contains(r.Body, "截止日只避开了周末") {
		t.Error("a year the office entered is still said to be unknown")
	}
	office.MustPost("/calendar/delete", url.Values{"date": {"2031-10-01"}}, http.StatusSeeOther)
	office.MustGet("/calendar?year=2022", http.StatusOK, "国庆节", "国务院")
}

// TestClosurePages has the lead unit ask for its task to be closed with a
// file, and the office close it from its queue: the file comes down to
// those who may read the task's reports, and the task's light turns 已办结,
// on its page and on its unit's.
func TestClosurePages(t *testing.T) {
	w := newCycleWorld(t)
	var clock struct {
		sync.Mutex
		at time.Time // zero: the real time
	}
	w.DB.Now = func() time.Time {
		clock.Lock()
		defer clock.Unlock()
		if clock.at.IsZero() {
			return time.Now()
		}
		return clock.at
	}
	setClock := func(at time.Time) {
		clock.Lock()
		clock.at = at
		clock.Unlock()
	}
	mustStatus(t, "asking to close", postMultipart(t, w.lead, taskPath(w.task)+"/closure", url.Values{"note": {"119 家已全部认定。"}},
		upload{"认定名单.pdf", []byte(webtest.SamplePDF + "closure")}), http.StatusSeeOther)
	w.part.MustPost(taskPath(w.task)+"/closure", url.Values{"note": {"也想申请"}}, http.StatusForbidden)
	office := w.Client(admin)
	r := office.MustGet("/reports", http.StatusOK, "办结申请", "119 家已全部认定。", "认定名单.pdf")
	link := regexp.MustCompile(`href="(/closures/\d+/files/1)"`).FindStringSubmatch(r.Body)
	if link == nil {
		t.Fatalf("the queue links no file of the request:\n%s", short(r.Body))
	}
	w.part.MustGet(link[1], http.StatusOK, "%PDF")
	w.Client(clerk).MustGet(link[1], http.StatusForbidden)
	action := regexp.MustCompile(`action="(/closures/\d+)"`).FindStringSubmatch(r.Body)
	office.MustPost(action[1], url.Values{"decision": {"declined"}}, http.StatusBadRequest, "请说明理由")
	// The task is closed while July runs, so that July's light, as of
	// that day, says so. (The browsers' sessions follow the real clock.)
	setClock(time.Date(2022, 7, 20, 10, 0, 0, 0, duban.Beijing))
	office.MustPost(action[1], url.Values{"decision": {"closed"}, "back": {"/reports"}}, http.StatusSeeOther)
	setClock(time.Time{})
	office.MustGet(taskPath(w.task), http.StatusOK, `<span class="light light-closed"`, "已办结")
	office.MustGet("/units/"+strconv.FormatInt(w.task.LeadUnits[0].ID, 10), http.StatusOK, `light light-closed`)
	if r := w.lead.MustGet(taskPath(w.task), http.StatusOK, "已办结"); strings.Contains(r.Body, `action="`+taskPath(w.task)+`/closure"`) {
		t.Error("a closed task still offers to ask for closing")
	}
}
