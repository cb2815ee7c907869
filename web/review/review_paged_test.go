package review_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice"
)

// TestReviewPaged: a plan larger than a page of the review is shown a
// page at a time. Each page holds its own items, the part of the notice
// they are read from, and each of the reader's warnings once, with the
// task it names; a form opened on an item, and the redirect after it,
// lead to the item's page; warnings dealt with leave every page.
func TestReviewPaged(t *testing.T) {
	w := newReviewWorld(t)
	const n = 600 // three pages of 250
	rd, err := notice.Read("n.md", warnedNotice(n))
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.Services().Plans.ImportPlan(officeCtx, duban.ImportInput{Name: "n.md", Data: warnedNotice(n), Reading: rd})
	if err != nil {
		t.Fatal(err)
	}
	tasks := planTasks(t, w, res.Plan.ID)
	office := w.Client(admin)
	review := reviewPath(res.Plan.ID)
	pages := map[int]string{}
	for p := 1; p <= 3; p++ {
		pages[p] = office.MustGet(fmt.Sprintf("%s?page=%d", review, p), http.StatusOK, fmt.Sprintf("第 %d / 3 页", p)).Body
	}
	for _, c := range []struct {
		no   string
		page int
	}{{"1.1.1", 1}, {"1.1.250", 1}, {"1.1.251", 2}, {"1.1.600", 3}} {
		id := fmt.Sprintf(`id="t%d"`, tasks[c.no].ID)
		for p, body := range pages {
			if got := strings.Contains(body, id); got != (p == c.page) {
				t.Errorf("task %s on page %d: %v, want it on page %d only", c.no, p, got, c.page)
			}
		}
		// Its warning is shown on its page, once with it and once in
		// the notice, and on no other page.
		warning := fmt.Sprintf("任务 %s 中的数字", c.no)
		for p, body := range pages {
			want := 0
			if p == c.page {
				want = 3 // the list of the page's warnings, the task, the paragraph
			}
			if got := strings.Count(body, warning); got != want {
				t.Errorf("the warning about %s on page %d: shown %d times, want %d", c.no, p, got, want)
			}
		}
	}
	// The paragraph all tasks are read from is shown in part on the pages
	// after the first.
	if !strings.Contains(pages[2], `<p>…<a class="seg"`) {
		t.Errorf("page 2 shows the notice's paragraph whole, not the part of its tasks")
	}
	// A form opened on a task of page 2 opens there; saving it leads back.
	task := tasks["1.1.300"]
	office.MustGet(fmt.Sprintf("%s?edit=%d", review, task.ID), http.StatusOK, "第 2 / 3 页", fmt.Sprintf(`action="/review/tasks/%d/edit"`, task.ID))
	r := office.MustPost(fmt.Sprintf("/review/tasks/%d/edit", task.ID), url.Values{"deadline": {"2022年底前"}}, http.StatusSeeOther)
	path, _, _ := strings.Cut(r.Location(), "#")
	body := office.MustGet(path, http.StatusOK, "第 2 / 3 页", fmt.Sprintf(`id="t%d"`, task.ID)).Body
	// The tasks share one paragraph, so correcting one deals with the
	// warnings read there: they leave every page.
	if !strings.Contains(body, fmt.Sprintf("%d 条提示已处理", n)) || strings.Contains(body, "中的数字") {
		t.Errorf("after a correction of the paragraph, page 2 still lists its warnings or does not count them handled")
	}
}
