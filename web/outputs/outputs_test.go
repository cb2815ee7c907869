package outputs_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/docx/docxtest"
	"github.com/dubanhq/duban/web/webtest"
)

// The outputs are tested through the running server, as a browser gets
// them: each file downloaded, read back with excelize (or converted by
// LibreOffice) and compared with what the store holds.

// download fetches a file and checks it is one: 200, its type and a name
// to save it as.
func download(t *testing.T, c *webtest.Client, path, contentType string) []byte {
	t.Helper()
	r := c.Get(path)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d:\n%s", path, r.Status, short(r.Body))
	}
	if got := r.Header.Get("Content-Type"); got != contentType {
		t.Errorf("GET %s: Content-Type %q, want %q", path, got, contentType)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename") {
		t.Errorf("GET %s: Content-Disposition %q", path, cd)
	}
	return []byte(r.Body)
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// sheetRows reads a workbook's only (or named) sheet.
func sheetRows(t *testing.T, data []byte, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheet == "" {
		sheet = f.GetSheetList()[0]
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func cellAt(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

// TestTaskTableReadsBack downloads the plan's task table, whole and a
// unit's, and reads it back: every task in plan order with its text,
// owners and deadline as the store holds them, under its action's heading.
func TestTaskTableReadsBack(t *testing.T) {
	w := newWorld(t)
	c := w.Client(viewer)
	unit := w.Users[clerk].UnitID
	for _, q := range []struct {
		query  string
		filter duban.TaskFilter
	}{
		{"", duban.TaskFilter{PlanID: &w.Plan.ID, IncludeWithdrawn: true}},
		{"?unit=" + strconv.FormatInt(unit, 10), duban.TaskFilter{PlanID: &w.Plan.ID, UnitID: &unit, IncludeWithdrawn: true}},
	} {
		tasks, _, err := w.Services().Tasks.FindTasks(officeCtx, q.filter)
		if err != nil {
			t.Fatal(err)
		}
		rows := sheetRows(t, download(t, c, fmt.Sprintf("/plans/%d/tasktable.xlsx%s", w.Plan.ID, q.query), xlsxType), "")
		var got [][]string
		headings := 0
		for _, r := range rows {
			if _, err := strconv.Atoi(cellAt(r, 0)); err == nil {
				got = append(got, r)
			} else if strings.Contains(cellAt(r, 0), "、") || strings.HasPrefix(cellAt(r, 0), "（") {
				headings++
			}
		}
		if len(got) != len(tasks) || headings == 0 {
			t.Fatalf("%q: %d task rows and %d headings, the store has %d tasks", q.query, len(got), headings, len(tasks))
		}
		for i, task := range tasks {
			want := []string{strconv.Itoa(i + 1), task.Text, strings.Join(duban.OwnerNames(task.LeadLeaders), "、"),
				strings.Join(duban.OwnerNames(task.LeadUnits), "、"), strings.Join(duban.OwnerNames(task.ResponsibleUnits), "、"), task.Deadline}
			for k, v := range want {
				if g := cellAt(got[i], k); g != v {
					t.Errorf("%q, task %s, column %d: got %q, want %q", q.query, task.No, k+1, g, v)
				}
			}
		}
	}
}

// TestProgressBookReadsBack downloads July's progress book and reads each
// task's report, completion, light and reason back against the store.
func TestProgressBookReadsBack(t *testing.T) {
	w := newWorld(t)
	svc := w.Services()
	if _, err := svc.Reports.UpdateReport(officeCtx, w.Report.ID, cycle.ReportUpdate{State: ref(cycle.ReportAccepted), Version: w.Report.Version}); err != nil {
		t.Fatal(err)
	}
	data := download(t, w.Client(admin), fmt.Sprintf("/exports/progress.xlsx?period=%d", w.Period.ID), xlsxType)
	rows := sheetRows(t, data, "")
	tasks, _, err := svc.Tasks.FindTasks(officeCtx, duban.TaskFilter{PlanID: &w.Plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	lights, _, err := svc.Lights.FindLights(officeCtx, cycle.LightFilter{PeriodID: &w.Period.ID})
	if err != nil {
		t.Fatal(err)
	}
	lightOf := map[int64]*cycle.Light{}
	for _, l := range lights {
		lightOf[l.TaskID] = l
	}
	// A task's first row has its number; further rows (one per target)
	// hold the target and its actual only.
	var first [][]string
	for _, r := range rows {
		if _, err := strconv.Atoi(cellAt(r, 0)); err == nil {
			first = append(first, r)
		}
	}
	if len(first) != len(tasks) {
		t.Fatalf("%d task rows, the store has %d tasks", len(first), len(tasks))
	}
	checked := 0
	for i, task := range tasks {
		r := first[i]
		l := lightOf[task.ID]
		if l == nil {
			t.Fatalf("task %s has no light in July", task.No)
		}
		if cellAt(r, 1) != task.Text || cellAt(r, 10) != l.Status.Label() || cellAt(r, 11) != l.Reason {
			t.Errorf("task %s: %q, light %q %q; want %q, %q %q", task.No, cellAt(r, 1), cellAt(r, 10), cellAt(r, 11), task.Text, l.Status.Label(), l.Reason)
		}
		if task.ID == w.OtherTask.ID {
			checked++
			if cellAt(r, 6) != w.Report.Progress || cellAt(r, 7) != strconv.Itoa(w.Report.Completion) {
				t.Errorf("task %s: progress %q, completion %q; want the report's %q, %d", task.No, cellAt(r, 6), cellAt(r, 7), w.Report.Progress, w.Report.Completion)
			}
		}
	}
	if checked != 1 {
		t.Error("the reported task was not in the book")
	}
}

// fillInSheet is a downloaded fill-in workbook being filled in, as a unit
// does in Excel: cells found by their column's title and their task.
type fillInSheet struct {
	t    *testing.T
	f    *excelize.File
	cols map[string]string // title → column letter
	rows map[int64]int     // task → its first row
}

func openFillIn(t *testing.T, data []byte) *fillInSheet {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	s := &fillInSheet{t: t, f: f, cols: map[string]string{}, rows: map[int64]int{}}
	rows, err := f.GetRows("填报")
	if err != nil {
		t.Fatal(err)
	}
	key := -1
	for n, r := range rows {
		for i, v := range r {
			if v == "duban-fillin/1" {
				key = i
				for j, title := range r {
					s.cols[title], _ = excelize.ColumnNumberToName(j + 1)
				}
			}
		}
		if key < 0 || n >= len(rows) {
			continue
		}
		parts := strings.Split(cellAt(r, key), ":")
		if len(parts) == 4 {
			id, _ := strconv.ParseInt(parts[0], 10, 64)
			s.rows[id] = n + 1
		}
	}
	if key < 0 || len(s.rows) == 0 {
		t.Fatal("the workbook has no rows to fill in")
	}
	return s
}

// set writes a cell of a task's row (target k's row for an actual).
func (s *fillInSheet) set(task int64, title string, value any, k int) {
	s.t.Helper()
	row, ok := s.rows[task]
	col, found := s.cols[title]
	if !ok || !found {
		s.t.Fatalf("no row for task %d or no column %s", task, title)
	}
	if err := s.f.SetCellValue("填报", fmt.Sprintf("%s%d", col, row+k), value); err != nil {
		s.t.Fatal(err)
	}
}

func (s *fillInSheet) bytes() []byte {
	s.t.Helper()
	var b bytes.Buffer
	if err := s.f.Write(&b); err != nil {
		s.t.Fatal(err)
	}
	return b.Bytes()
}

// uploadFile sends a file as the fill-in page's form does.
func uploadFile(t *testing.T, c *webtest.Client, path string, data []byte) *webtest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.CSRF())
	fw, _ := mw.CreateFormFile("file", "填报表.xlsx")
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.URL(path), &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}

// TestFillInRoundTrip fills a unit's workbook offline and uploads it back
// through the server: filled in, it becomes the unit's reports; with
// errors, nothing is saved and every error is named by its row and column;
// with a row changed online since the download, that row is reported and
// left as it is while the others are saved.
func TestFillInRoundTrip(t *testing.T) {
	w := newWorld(t)
	svc := w.Services()
	c := w.Client(clerk)
	unit := w.Users[clerk].UnitID
	clerkCtx := duban.NewContextWithUser(t.Context(), w.Users[clerk])
	obls, err := svc.Reminders.FindObligations(officeCtx, cycle.ObligationFilter{PeriodID: &w.Period.ID, UnitID: &unit})
	if err != nil || len(obls) < 2 {
		t.Fatalf("the clerk's unit owes %d reports (%v); the test needs two", len(obls), err)
	}
	// One task with a target and one without, if the unit has both.
	first, second := obls[0], obls[1]
	tasks := map[int64]*duban.Task{}
	for _, o := range obls {
		task, err := svc.Tasks.FindTaskByID(officeCtx, o.TaskID)
		if err != nil {
			t.Fatal(err)
		}
		tasks[o.TaskID] = task
	}
	path := fmt.Sprintf("/periods/%d/fillin", w.Period.ID)
	c.MustGet(path, http.StatusOK, "下载填报表")
	reportsOf := func() map[int64]*cycle.Report {
		rs, _, err := svc.Reports.FindReports(officeCtx, cycle.ReportFilter{PeriodID: &w.Period.ID, UnitID: &unit})
		if err != nil {
			t.Fatal(err)
		}
		m := map[int64]*cycle.Report{}
		for _, r := range rs {
			m[r.TaskID] = r
		}
		return m
	}

	// Errors: a completion in words, an actual that is an estimate, a
	// progress missing where the row is handed in. Nothing is saved.
	book := openFillIn(t, download(t, c, path+".xlsx", xlsxType))
	book.set(first.TaskID, "完成进度(%)", "五成", 0)
	book.set(second.TaskID, "进展情况", "", 0)
	book.set(second.TaskID, "完成进度(%)", 30, 0)
	wantErrors := []string{fmt.Sprintf("%d", book.rows[first.TaskID]), book.cols["完成进度(%)"], "“五成”不是 0 到 100 之间的数",
		book.cols["进展情况"], "请填写进展情况后再报送"}
	var withTarget int64
	for id, task := range tasks {
		if len(task.Indicators) > 0 && id != first.TaskID {
			withTarget = id
			book.set(id, "进展情况", "进展", 0)
			book.set(id, "实际完成", "约四万", 0)
			wantErrors = append(wantErrors, book.cols["实际完成"], "不是确切的数字")
			break
		}
	}
	before := w.AuditHead()
	r := uploadFile(t, c, path, book.bytes())
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a workbook with errors: %d:\n%s", r.Status, short(r.Body))
	}
	for _, want := range wantErrors {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the errors do not say %q:\n%s", want, webtest.MainPart(r.Body))
		}
	}
	if w.AuditHead() != before || len(reportsOf()) != 0 {
		t.Fatalf("a workbook with errors saved something")
	}
	if withTarget == 0 {
		t.Log("the clerk's unit has no task with a target besides the first: the actual's error is not checked")
	}

	// Filled in: the first row handed in, the second kept as a draft.
	book = openFillIn(t, download(t, c, path+".xlsx", xlsxType))
	book.set(first.TaskID, "进展情况", "七月完成资金拨付。", 0)
	book.set(first.TaskID, "完成进度(%)", 55, 0)
	book.set(second.TaskID, "进展情况", "正在推进。", 0)
	book.set(second.TaskID, "报送方式", cycle.FillInDraft, 0)
	r = uploadFile(t, c, path, book.bytes())
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "已导入 2 份报告") {
		t.Fatalf("the filled-in workbook: %d:\n%s", r.Status, short(r.Body))
	}
	saved := reportsOf()
	if got := saved[first.TaskID]; got == nil || got.Progress != "七月完成资金拨付。" || got.Completion != 55 || got.State != cycle.ReportSubmitted ||
		got.UpdatedBy != w.Users[clerk].Label() {
		t.Errorf("the first row's report: %+v", got)
	}
	if got := saved[second.TaskID]; got == nil || got.State != cycle.ReportDraft || got.Progress != "正在推进。" {
		t.Errorf("the second row's report: %+v", got)
	}
	if n := w.AuditHead() - before; n != 2 {
		t.Errorf("two reports saved: %d audit events, want 2", n)
	}

	// Stale: the draft is changed online after this download; the
	// workbook changes it too, and the first row (handed in, its task
	// report locked or a part still open) is left alone.
	book = openFillIn(t, download(t, c, path+".xlsx", xlsxType))
	draft := saved[second.TaskID]
	if _, err := svc.Reports.UpdateReport(clerkCtx, draft.ID, cycle.ReportUpdate{Progress: ref("在系统中改过。"), Version: draft.Version}); err != nil {
		t.Fatal(err)
	}
	book.set(second.TaskID, "进展情况", "表格中改的。", 0)
	r = uploadFile(t, c, path, book.bytes())
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "1 行未导入") {
		t.Fatalf("the stale workbook: %d:\n%s", r.Status, webtest.MainPart(r.Body))
	}
	if got := reportsOf()[second.TaskID]; got.Progress != "在系统中改过。" {
		t.Errorf("a stale row overwrote the online change: %q", got.Progress)
	}

	// Another unit's workbook is not the clerk's to fetch or send.
	other := w.Users[otherClerk].UnitID
	c.MustGet(fmt.Sprintf("%s.xlsx?unit=%d", path, other), http.StatusForbidden)
	if r := uploadFile(t, c, fmt.Sprintf("%s?unit=%d", path, other), book.bytes()); r.Status != http.StatusForbidden {
		t.Errorf("uploading another unit's workbook: %d", r.Status)
	}
	// A file that is no workbook is refused, saying so.
	if r := uploadFile(t, c, path, []byte("not a workbook")); r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "不是可读取的 Excel") {
		t.Errorf("a file that is no workbook: %d:\n%s", r.Status, short(r.Body))
	}
}

// TestBulletinDocument edits July's bulletin, downloads it as Word and
// checks the document (its parts parse, A4 with the official margins and
// grid, page numbers in the footers) and, converted to PDF by LibreOffice,
// its text and pages.
func TestBulletinDocument(t *testing.T) {
	w := newWorld(t)
	office := w.Client(admin)
	path := fmt.Sprintf("/periods/%d/bulletin", w.Period.ID)
	office.MustPost(path, url.Values{"number": {"历下督字〔2022〕5号"}, "to": {"各街道办事处，区政府各部门："},
		"opening": {"为推动各项任务落实，现将七月份情况通报如下："}, "closing": {"请各单位抓好落实。特此通报。"}, "signature": {"区政府督查室"}},
		http.StatusSeeOther)
	page := w.Client(viewer).MustGet(path, http.StatusOK, "历下督字〔2022〕5号", "现将七月份情况通报如下", "总体情况", "进度滞后的任务")
	if strings.Contains(page.Body, `action="`+path+`"`) {
		t.Error("a viewer is shown the office's form")
	}
	w.Client(viewer).MustGet(path+"?print=1", http.StatusOK, "特此通报")
	data := download(t, w.Client(leader), path+".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")

	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		parts[f.Name] = string(b)
		if strings.HasSuffix(f.Name, ".xml") || strings.HasSuffix(f.Name, ".rels") {
			d := xml.NewDecoder(bytes.NewReader(b))
			for {
				if _, err := d.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Fatalf("part %s does not parse: %v", f.Name, err)
				}
			}
		}
	}
	doc := parts["word/document.xml"]
	for _, want := range []string{
		`<w:pgSz w:w="11906" w:h="16838"/>`, // A4
		`w:top="2098"`, `w:left="1587"`,     // 37 mm, the binding side 28 mm
		`w:type="linesAndChars" w:linePitch="579"`, // 22 lines of 28 characters
		"历下督字〔2022〕5号", "区政府督查室", "现将七月份情况通报如下",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	for _, font := range []string{"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"} {
		if !strings.Contains(parts["word/styles.xml"], `w:eastAsia="`+font+`"`) {
			t.Errorf("styles.xml lacks the font %s", font)
		}
	}
	footers := 0
	for name, p := range parts {
		if strings.HasPrefix(name, "word/footer") && strings.Contains(p, "PAGE") {
			footers++
		}
	}
	if footers < 2 {
		t.Errorf("%d footers with a page number, want the odd pages' and the even pages'", footers)
	}

	pdf := docxtest.ToPDF(t, data)
	pages, pw, ph := docxtest.Info(t, pdf)
	if pw < 594 || pw > 596.5 || ph < 841 || ph > 843 {
		t.Errorf("page size %.1f × %.1f pt, want A4", pw, ph)
	}
	text := docxtest.Text(t, pdf)
	flat := strings.Join(strings.Fields(text), "")
	for _, want := range []string{"关于", "2022年7月推进情况的通报", "一、总体情况", "二、进度滞后的任务", "三、报告报送情况",
		"请各单位抓好落实。特此通报。"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	// Every page has its number, and there are as many as pages.
	numbers := regexp.MustCompile(`—\s*(\d+)\s*—`).FindAllStringSubmatch(text, -1)
	if pages < 2 || len(numbers) != pages || numbers[len(numbers)-1][1] != strconv.Itoa(pages) {
		t.Errorf("%d pages with numbers %v", pages, numbers)
	}
	tasks, _, err := w.Services().Tasks.FindTasks(officeCtx, duban.TaskFilter{PlanID: &w.Plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	// Laid out as printed: the figures' numbers (in the Latin font) among
	// their words.
	laid := strings.Join(strings.Fields(docxtest.Run(t, "pdftotext", "poppler-utils", "-layout", pdf, "-")), "")
	if want := fmt.Sprintf("在办任务共%d项", len(tasks)); !strings.Contains(laid, want) {
		t.Errorf("the PDF does not say %q", want)
	}
}

// TestPublicPages opens the public page as nobody once the office makes
// the plan public, and scans every public page for every private value the
// world holds: comments, reports not accepted and their return reasons,
// who wrote reports, accounts' names, evidence files. Past its burst, an
// address is asked to wait.
func TestPublicPages(t *testing.T) {
	w := newWorld(t)
	svc := w.Services()
	office := w.Client(admin)
	anyone := w.Client(nobody)
	anyone.MustGet("/public", http.StatusOK, "暂无公开的文件")
	anyone.MustGet(fmt.Sprintf("/public/plans/%d", w.Plan.ID), http.StatusNotFound)
	w.Client(clerk).MustPost(taskPath(w.Task)+"/comments", url.Values{"text": {"内部意见：资金尚未到位，请勿外传。"}}, http.StatusSeeOther)
	if _, err := svc.Reports.UpdateReport(officeCtx, w.Report.ID, cycle.ReportUpdate{State: ref(cycle.ReportReturned),
		ReturnReason: ref("数据口径有误，请核实后重报。"), Version: w.Report.Version}); err != nil {
		t.Fatal(err)
	}
	office.MustPost(fmt.Sprintf("/plans/%d/publication", w.Plan.ID), url.Values{"public": {"1"}}, http.StatusSeeOther)
	w.Client(admin).MustGet("/login", http.StatusSeeOther)
	w.Client(nobody).MustGet("/login", http.StatusOK, `href="/public"`)

	pages := []string{"/public", fmt.Sprintf("/public/plans/%d", w.Plan.ID)}
	bodies := map[string]string{}
	fresh := w.Client(nobody)
	for _, p := range pages {
		bodies[p] = fresh.MustGet(p, http.StatusOK).Body
	}
	if !strings.Contains(bodies[pages[1]], w.Task.Text) {
		t.Fatalf("the public plan lacks its tasks")
	}
	for where, private := range privateValues(t, w) {
		for p, body := range bodies {
			if strings.Contains(webtest.MainPart(body), private) {
				t.Errorf("%s shows %s: %q", p, where, private)
			}
		}
	}
	// An address asking past its burst waits.
	limited := 0
	for range 40 {
		if r := fresh.Get(pages[1]); r.Status == http.StatusTooManyRequests {
			limited++
			if !strings.Contains(r.Body, "访问过于频繁") || r.Header.Get("Retry-After") == "" {
				t.Errorf("refused without saying when to come back")
			}
		}
	}
	if limited == 0 {
		t.Error("forty requests at once were all answered: the public page is not limited")
	}
}

// privateValues lists what the world holds that the public must not see,
// by where it comes from.
func privateValues(t *testing.T, w *world) map[string]string {
	t.Helper()
	svc := w.Services()
	out := map[string]string{}
	comments, _, err := svc.Comments.FindComments(officeCtx, duban.CommentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range comments {
		out["comment "+strconv.FormatInt(c.ID, 10)] = c.Text
		out["the comment's author"] = c.Author
	}
	reports, _, err := svc.Reports.FindReports(officeCtx, cycle.ReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reports {
		id := strconv.FormatInt(r.ID, 10)
		out["report "+id+"'s author"] = r.UpdatedBy
		if r.ReturnReason != "" {
			out["report "+id+"'s return reason"] = r.ReturnReason
		}
		if r.State != cycle.ReportAccepted {
			out["report "+id+" ("+string(r.State)+")"] = r.Progress
		}
		for _, e := range r.Evidence {
			out["report "+id+"'s file"] = e.Name
			out["report "+id+"'s file's hash"] = e.SHA256
		}
		for _, x := range []string{r.Problems, r.NextSteps} {
			if x != "" {
				out["report "+id+"'s problems or next steps"] = x
			}
		}
	}
	for _, u := range w.Users {
		out["account "+u.Name] = u.Name
		// A leader's name is the notice's own, on the public page as a
		// task's lead leader, and the office's is the office's (督查室);
		// a clerk's or a reader's name is private.
		if u.DisplayName != "" && u.Role != duban.RoleLeader && u.Role != duban.RoleAdmin {
			out["account "+u.Name+"'s name"] = u.DisplayName
		}
	}
	return out
}

// TestOverviewPage opens the overview as a leader, whose tasks come first,
// follows its figures to the ledger, whose counts agree, and shows it full
// screen, without the top bar and reloading itself.
func TestOverviewPage(t *testing.T) {
	w := newWorld(t)
	w.Client(nobody).MustGet("/overview", http.StatusSeeOther)
	lead := w.Client(leader)
	r := lead.MustGet("/overview", http.StatusOK, "武毅 牵头的任务", "按行动", "按单位", "逾期未报", "在办督办单")
	body := webtest.MainPart(r.Body)
	if strings.Index(body, `class="ov-mine"`) > strings.Index(body, `class="ov-totals"`) {
		t.Error("the leader's own tasks do not come first")
	}
	if !strings.Contains(lead.MustGet("/tasks", http.StatusOK).Body, `href="/overview"`) {
		t.Error("the top bar does not lead to the overview")
	}
	// Each tile's count is the ledger's count of its link.
	tiles := regexp.MustCompile(`<a href="(/tasks\?[^"]+)"><strong>(\d+)</strong>`).FindAllStringSubmatch(body, -1)
	if len(tiles) < 8 {
		t.Fatalf("%d tiles link to the ledger", len(tiles))
	}
	total := regexp.MustCompile(`共 (\d+) 项任务`)
	for _, tile := range tiles {
		href := strings.ReplaceAll(tile[1], "&amp;", "&")
		m := total.FindStringSubmatch(lead.MustGet(href, http.StatusOK).Body)
		if m == nil || m[1] != tile[2] {
			t.Errorf("%s: the overview counts %s, the ledger %v", href, tile[2], m)
		}
	}
	// Sorted by a light, by name, and by a column that is none.
	for _, sort := range []string{"severe", "name", "nonsense"} {
		lead.MustGet("/overview?sort="+sort, http.StatusOK, "按单位")
	}
	full := w.Client(admin).MustGet(fmt.Sprintf("/overview?plan=%d&full=1", w.Plan.ID), http.StatusOK, "退出全屏")
	if full.Header.Get("Refresh") == "" || !strings.Contains(full.Body, `<body class="bare">`) || strings.Contains(full.Body, `class="top"`) {
		t.Errorf("full screen: Refresh %q, bare %v, top bar %v", full.Header.Get("Refresh"), strings.Contains(full.Body, `class="bare"`),
			strings.Contains(full.Body, `class="top"`))
	}
	w.Client(viewer).MustGet(fmt.Sprintf("/overview?plan=%d", w.Draft.ID), http.StatusNotFound)
	w.Client(admin).MustGet(fmt.Sprintf("/overview?plan=%d", w.Draft.ID), http.StatusConflict, "尚未发布")
}

// TestPrintPages prints the ledger as a table and task by task, and a task
// with its reports, each without the top bar.
func TestPrintPages(t *testing.T) {
	w := newWorld(t)
	c := w.Client(admin)
	tasks, _, err := w.Services().Tasks.FindTasks(officeCtx, duban.TaskFilter{PlanID: &w.Plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	r := c.MustGet(fmt.Sprintf("/tasks/print?plan=%d", w.Plan.ID), http.StatusOK, fmt.Sprintf("共 %d 项任务", len(tasks)))
	if n := strings.Count(r.Body, "<tr>") - 1; n != len(tasks) || strings.Contains(r.Body, `class="top"`) {
		t.Errorf("the printed ledger has %d rows for %d tasks, top bar %v", n, len(tasks), strings.Contains(r.Body, `class="top"`))
	}
	r = c.MustGet(fmt.Sprintf("/tasks/print?plan=%d&reports=1", w.Plan.ID), http.StatusOK, w.Report.Progress)
	if n := strings.Count(r.Body, `class="print-task page"`); n != len(tasks)-1 {
		t.Errorf("%d page breaks between %d tasks", n, len(tasks))
	}
	c.MustGet(fmt.Sprintf("/tasks/%d/print", w.OtherTask.ID), http.StatusOK, w.OtherTask.Text, w.Report.Progress, "任务报告")
	if !strings.Contains(c.MustGet("/tasks", http.StatusOK).Body, `href="/tasks/print"`) {
		t.Error("the ledger does not lead to its print")
	}
}

// TestOutputsAPI reads the overview as JSON, and uploads a workbook as a
// script does: one with an error refused with its row and column, then
// the same one corrected, saved.
func TestOutputsAPI(t *testing.T) {
	w := newWorld(t)
	svc := w.Services()
	call := func(secret, method, path, contentType string, body []byte) *webtest.Response {
		t.Helper()
		req, err := http.NewRequest(method, w.HTTP.URL+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+secret)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		return webtest.NewClient(t, w.HTTP.URL).Do(req)
	}
	r := call(w.Secret, "GET", fmt.Sprintf("/api/v1/plans/%d/overview", w.Plan.ID), "", nil)
	var o cycle.Overview
	if r.Status != http.StatusOK || json.Unmarshal([]byte(r.Body), &o) != nil || o.Period == nil || o.Period.ID != w.Period.ID || o.Totals.Total() != o.Tasks {
		t.Fatalf("overview: %d %s", r.Status, short(r.Body))
	}
	if r := call(w.Secret, "PATCH", fmt.Sprintf("/api/v1/periods/%d/bulletin", w.Period.ID), "application/json", []byte(`{"closing": "x"}`)); r.Status != http.StatusForbidden {
		t.Errorf("a viewer edits the bulletin: %d", r.Status)
	}
	tok := &duban.APIToken{UserID: w.Users[clerk].ID, Name: "填报脚本"}
	secret, err := svc.Auth.CreateAPIToken(officeCtx, tok)
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/v1/periods/%d/fillin", w.Period.ID)
	r = call(secret, "GET", path+".xlsx", "", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("download: %d %s", r.Status, short(r.Body))
	}
	book := openFillIn(t, []byte(r.Body))
	var task int64
	for id := range book.rows {
		task = id
		break
	}
	book.set(task, "完成进度(%)", 120, 0)
	book.set(task, "进展情况", "脚本上传。", 0)
	r = call(secret, "POST", path, xlsxType, book.bytes())
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, fmt.Sprintf("第 %d 行 %s 列", book.rows[task], book.cols["完成进度(%)"])) {
		t.Errorf("a workbook with an error: %d %s", r.Status, r.Body)
	}
	book.set(task, "完成进度(%)", 20, 0)
	r = call(secret, "POST", path, xlsxType, book.bytes())
	var res struct{ Created, Updated int }
	if r.Status != http.StatusOK || json.Unmarshal([]byte(r.Body), &res) != nil || res.Created != 1 {
		t.Errorf("the corrected workbook: %d %s", r.Status, r.Body)
	}
}
