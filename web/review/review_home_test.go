package review_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban"
)

// TestPublishSaysWhoSees asks no confirmation for a publication that will be
// refused, asks one naming the groups that reach nobody when there are
// some, and says after publishing which groups those are rather than that
// every unit sees its tasks; a published document is then archived from the
// same place.
func TestPublishSaysWhoSees(t *testing.T) {
	w := newReviewWorld(t)
	office := w.Client(admin)
	p := importSample(t, w, office, "lixia-2022.md", mustRead(t, sampleMD))
	review := reviewPath(p.ID)
	publishButton := regexp.MustCompile(`(?s)<form method="post" action="/plans/\d+/publish".*?</form>`)
	page := office.MustGet(review, http.StatusOK, "发布前须处理全部无人认领的段落")
	if button := publishButton.FindString(page.Body); button == "" || strings.Contains(button, "data-confirm") {
		t.Errorf("with paragraphs unclaimed the publish button asks to confirm, though publishing is refused:\n%s", button)
	}
	// 9 warnings of unclaimed paragraphs: one dismissed leaves the list.
	office.MustGet(review, http.StatusOK, "9 条读取提示待核对")
	sts := openStatements(t, w, p.ID)
	office.MustPost("/review/statements/"+strconv.FormatInt(sts[0].ID, 10)+"/dismiss", url.Values{"note": {"总括性表述"}}, http.StatusSeeOther)
	office.MustGet(review, http.StatusOK, "8 条读取提示待核对", "1 条提示已处理")
	for _, st := range sts[1:] {
		office.MustPost("/review/statements/"+strconv.FormatInt(st.ID, 10)+"/dismiss", nil, http.StatusSeeOther)
	}
	page = office.MustGet(review, http.StatusOK, "9 条提示已处理")
	if strings.Contains(page.Body, `id="warnings"`) || strings.Contains(page.Body, "这段文字没有分工") {
		t.Error("every warning dealt with, the warnings still show, in their list or on their paragraphs")
	}
	button := publishButton.FindString(page.Body)
	if !strings.Contains(button, "data-confirm") || !strings.Contains(button, "以下统称还没有成员") || !strings.Contains(button, "各街道办事处") {
		t.Errorf("publishing with groups without members: the button asks %q, want the groups named", button)
	}
	r := office.MustPost("/plans/"+strconv.FormatInt(p.ID, 10)+"/publish", nil, http.StatusSeeOther)
	page = reviewFollow(t, office, r, "", "文件已发布：88 项任务。以下统称还没有成员")
	if strings.Contains(flashOf(page.Body), "各单位现在可以在台账中看到自己的任务") || !strings.Contains(flashOf(page.Body), "相关街道办事处") {
		t.Errorf("after publishing: %q, want the groups without members named, and no claim that every unit sees its tasks", flashOf(page.Body))
	}
	// Archiving: offered once published, and done.
	archive := "/plans/" + strconv.FormatInt(p.ID, 10) + "/archive"
	office.MustGet(review, http.StatusOK, `action="`+archive+`"`)
	r = office.MustPost(archive, nil, http.StatusSeeOther)
	reviewFollow(t, office, r, "", "已归档")
	if got, _ := w.Services().Plans.FindPlanByID(officeCtx, p.ID); got.State != duban.PlanArchived {
		t.Errorf("after archiving: %s", got.State)
	}
	office.MustPost(archive, nil, http.StatusConflict, "只有已发布的文件可以归档")
}

// TestPublishEveryGroupReached says every unit sees its tasks only when
// every group term has members.
func TestPublishEveryGroupReached(t *testing.T) {
	w := newReviewWorld(t)
	office := w.Client(admin)
	svc := w.Services()
	p := importSample(t, w, office, "lixia-2022.md", mustRead(t, sampleMD))
	tasks, _, err := svc.Tasks.FindTasks(officeCtx, duban.TaskFilter{PlanID: &p.ID})
	if err != nil {
		t.Fatal(err)
	}
	street, _, err := svc.Units.FindUnits(officeCtx, duban.UnitFilter{Kind: ref(duban.UnitStreet)})
	if err != nil {
		t.Fatal(err)
	}
	// Every group term the tasks name is entered with the streets as its
	// members, before publishing.
	made := map[string]bool{}
	for _, task := range tasks {
		for _, o := range append(task.LeadUnits, task.ResponsibleUnits...) {
			if _, ok := duban.ScopeOfGroup(o.Name); !ok || made[o.Name] {
				continue
			}
			made[o.Name] = true
			g := &duban.Unit{Name: o.Name, Kind: duban.UnitGroup}
			if err := svc.Units.CreateUnit(officeCtx, g); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Units.SetGroupMembers(officeCtx, g.ID, []int64{street[0].ID}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, st := range openStatements(t, w, p.ID) {
		office.MustPost("/review/statements/"+strconv.FormatInt(st.ID, 10)+"/dismiss", nil, http.StatusSeeOther)
	}
	r := office.MustPost("/plans/"+strconv.FormatInt(p.ID, 10)+"/publish", nil, http.StatusSeeOther)
	reviewFollow(t, office, r, "", "文件已发布：88 项任务，各单位现在可以在台账中看到自己的任务。")
}

// TestSourceLines shows, for a notice whose owners and deadline stand on
// lines of their own, exactly the lines a task was read from: its text and
// its own key lines, not the task before's deadline nor the next one's
// number.
func TestSourceLines(t *testing.T) {
	w := newReviewWorld(t)
	office := w.Client(admin)
	r := reviewUpload(t, office, "/plans/import", "jishou.txt", mustRead(t, "../../notice/testdata/corpus/jishou-2022/source.txt"), nil)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("import: got %d:\n%s", r.Status, reviewExcerpt(r.Body))
	}
	id, _ := strconv.ParseInt(strings.Split(r.Location(), "/")[2], 10, 64)
	tasks := planTasks(t, w, id)
	task := tasks["1.0.2"]
	if task == nil || task.Deadline != "2022年11月" {
		t.Fatalf("task 1.0.2 of the notice: got %+v", task)
	}
	page := office.MustGet(taskPath(task), http.StatusOK)
	source := regexp.MustCompile(`(?s)<div class="source">(.*?)</div>`).FindStringSubmatch(page.Body)
	if source == nil {
		t.Fatal("no source on the task's page")
	}
	var lines []string
	for _, m := range regexp.MustCompile(`<p class="here">(.*?)</p>`).FindAllStringSubmatch(source[1], -1) {
		lines = append(lines, regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], ""))
	}
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "积极对接国家政策导向") ||
		strings.Join(lines[1:], "|") != "滕志刚|市发改局|市财政局|2022年11月" {
		t.Errorf("the lines of task 1.0.2: got %q, want its text, leader, lead unit, responsible unit and deadline", lines)
	}

	// A task made of an unowned paragraph the reader placed a line early
	// shows the paragraph that holds its text, marked.
	p := importSample(t, w, office, "lixia-2022.md", mustRead(t, sampleMD))
	st := openStatements(t, w, p.ID)[0]
	task, err := w.Services().Tasks.AssignStatement(officeCtx, st.ID, duban.StatementAssignment{LeadUnits: []duban.Owner{{Name: "区财政局"}}})
	if err != nil {
		t.Fatal(err)
	}
	page = office.MustGet(taskPath(task), http.StatusOK)
	if here := regexp.MustCompile(`<p class="here">(.*?)</p>`).FindStringSubmatch(page.Body); here == nil || !strings.Contains(here[1], "<mark>"+firstRunes(task.Text, 10)) {
		t.Errorf("task %s made of the paragraph at line %d: its source does not hold its text, marked: %v", task.No, st.Line, here)
	}
}

// TestWords keeps the offices' words in the pages: 督查室, 进展情况,
// 无人认领的段落, 对应到, 文件 — not the system's.
func TestWords(t *testing.T) {
	w := newWorld(t)
	banned := []string{"督办室", "未分配表述", "未分配的表述", "映射", "计划"}
	for _, role := range []string{admin, clerk, leader, viewer} {
		c := w.Client(role)
		for _, path := range []string{"/", "/tasks", "/plans", "/units", "/leaders", "/me", taskPath(w.Task),
			"/plans/" + strconv.FormatInt(w.Draft.ID, 10) + "/review", "/plans/" + strconv.FormatInt(w.Plan.ID, 10)} {
			r := c.Get(path)
			body := mainPart(r.Body)
			// The notice's own text may say anything: only the page's
			// words are checked, so the source, the tasks' text and what
			// is quoted from the notice are left out.
			body = regexp.MustCompile(`(?s)<div class="source">.*?</div>|<p class="text">.*?</p>|<section class="col source".*?</section>|<p class="tasktext">.*?</p>|<td class="text">.*?</td>|“[^”]*”`).ReplaceAllString(body, "")
			for _, word := range banned {
				if i := strings.Index(body, word); i >= 0 {
					t.Errorf("%s as %s says %q: …%s…", path, role, word, body[max(0, i-80):min(len(body), i+80)])
				}
			}
		}
	}
}

// TestLedgerFreshAndPrinted leads the office of a fresh install from the
// empty ledger to the import page, tells the others what to wait for, and
// prints a ledger with a heading of what it lists and the day.
func TestLedgerFreshAndPrinted(t *testing.T) {
	w := newReviewWorld(t)
	w.Client(admin).MustGet("/tasks", http.StatusOK, "还没有导入任何文件", `href="/plans/import"`)
	r := w.Client(viewer).MustGet("/tasks", http.StatusOK, "还没有发布的文件")
	if strings.Contains(r.Body, "请放宽筛选条件") || strings.Contains(r.Body, `href="/plans/import"`) {
		t.Error("a viewer of a fresh install is told to widen the filter, or to import")
	}
	w = newWorld(t)
	unit := w.Users[clerk].UnitID
	r = w.Client(clerk).MustGet("/tasks?unit="+strconv.FormatInt(unit, 10), http.StatusOK)
	head := regexp.MustCompile(`<p class="print-head">(.*?)</p>`).FindStringSubmatch(r.Body)
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
	if head == nil || !strings.Contains(head[1], "台账 · 区财政局") || !strings.Contains(head[1], "打印日期 "+today) {
		t.Errorf("the print heading: got %v, want the ledger, the unit and the day", head)
	}
	w.Client(clerk).MustGet("/tasks?q="+url.QueryEscape("没有这样的任务"), http.StatusOK, "没有符合条件的任务：请放宽筛选条件。")
}
