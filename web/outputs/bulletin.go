package outputs

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/export"
	"github.com/dubanhq/duban/web"
)

// bulletinRoutes are a period's bulletin (通报): the page that shows it,
// ready to print, with the office's form for its words; its Word document.
func (s *server) bulletinRoutes() []web.Route {
	return []web.Route{
		{Method: "GET", Pattern: "/periods/{period}/bulletin", Allow: duban.CanRead, Action: "查看通报", Handler: s.bulletin},
		{Method: "POST", Pattern: "/periods/{period}/bulletin", Allow: cycle.CanWriteBulletin, Action: "编辑通报", Changes: true, Handler: s.saveBulletin},
		{Method: "GET", Pattern: "/periods/{period}/bulletin.docx", Allow: duban.CanRead, Action: "下载通报", Handler: s.bulletinDocx},
	}
}

// bulletinPage is a period's bulletin as it prints, and the office's form
// for its words.
type bulletinPage struct {
	web.Base
	B *cycle.Bulletin
	P export.BulletinParagraphs
	// Day is the date written under the signature.
	Day duban.Date
	// CanEdit shows the form; Print shows the document alone.
	CanEdit bool
	Print   bool
}

func (*bulletinPage) TemplateName() string { return "bulletin.html" }

// Lists are the bulletin's lists of lagging tasks, red then yellow.
func (p *bulletinPage) Lists() []bulletinList {
	return []bulletinList{
		{Title: p.T("严重滞后的任务（%d 项）", len(p.B.Severe)), Items: p.B.Severe},
		{Title: p.T("进度滞后的任务（%d 项）", len(p.B.Lagging)), Items: p.B.Lagging},
	}
}

// bulletinList is one list of the bulletin.
type bulletinList struct {
	Title string
	Items []cycle.BulletinItem
}

// Numeral is a heading's number: 一, 二….
func (p *bulletinPage) Numeral(n int) string { return duban.ChineseNumeral(n) }

// Seq numbers from 1 what a template ranges over from 0.
func (p *bulletinPage) Seq(i int) int { return i + 1 }

// Lines are a text's paragraphs, one a line, the empty ones left out.
func (p *bulletinPage) Lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func (s *server) bulletin(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "period")
	if err != nil {
		return err
	}
	b, err := export.Bulletin(r.Context(), s.exportServices(), id)
	if err != nil {
		return err
	}
	p := &bulletinPage{B: b, P: export.Paragraphs(b), Day: s.Today(), Print: r.URL.Query().Get("print") == "1",
		CanEdit: cycle.CanWriteBulletin(duban.UserFromContext(r.Context()))}
	p.Title = b.Title
	p.Bare = p.Print
	return s.Render(w, r, p)
}

// saveBulletin saves the office's words of a period's bulletin.
func (s *server) saveBulletin(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "period")
	if err != nil {
		return err
	}
	f := r.PostForm
	text := func(name string) *string {
		if !f.Has(name) {
			return nil
		}
		v := f.Get(name)
		return &v
	}
	upd := cycle.BulletinTextUpdate{Number: text("number"), To: text("to"), Opening: text("opening"), Closing: text("closing"),
		Signature: text("signature")}
	if _, err := s.svc.Bulletins.UpdateBulletinText(r.Context(), id, upd); err != nil {
		return err
	}
	return s.Redirect(w, r, "/periods/"+strconv.FormatInt(id, 10)+"/bulletin", web.Lang(r).T("通报的文字已保存。"))
}

// bulletinDocx downloads a period's bulletin as a Word document.
func (s *server) bulletinDocx(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "period")
	if err != nil {
		return err
	}
	f, err := export.BulletinFile(r.Context(), s.exportServices(), id)
	if err != nil {
		return err
	}
	return download(w, f)
}
