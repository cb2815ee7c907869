package api_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/notify/notifytest"
	"github.com/dubanhq/duban/web/webtest"
)

// newChannel is the answer of POST /api/v1/channels.
type newChannel struct {
	Channel *duban.Channel
	Secret  string
}

// ledTask returns a task of the sample whose reports the clerk's unit
// composes: its supervision notices go to that unit.
func (f *apiFixture) ledTask() *duban.Task {
	f.t.Helper()
	tasks, _ := f.mustTasks(duban.TaskFilter{UnitID: &f.unit.ID, UnitRole: duban.UnitLeads})
	groups, err := f.svc.Units.FindGroupMembers(f.office)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, t := range tasks {
		if composer, _ := cycle.ReportingUnits(t, groups); composer == f.unit.ID {
			return t
		}
	}
	f.t.Fatalf("no task of the sample has %s composing its reports", f.unit.Name)
	return nil
}

// TestAPISupervision issues a supervision notice through the API, and its
// unit acknowledges and answers it at the versions it read (If-Match), a
// stale version refused; the office closes it; an urge is counted; the
// clerk's bell counts and clears.
func TestAPISupervision(t *testing.T) {
	f := newAPIFixture(t, true)
	task := f.ledTask()
	due := duban.Today(time.Now()).AddDays(10)
	issue := reqSend("POST", "/api/v1/supervisions", map[string]any{"task_ids": []int64{task.ID}, "reason": "进度滞后",
		"requirement": "请书面反馈", "due": due.String()})
	f.must(duban.RoleClerk, http.StatusForbidden, issue)
	var sv cycle.Supervision
	f.must(duban.RoleAdmin, http.StatusCreated, issue).decode(t, &sv)
	if sv.Seq != 1 || sv.UnitID != f.unit.ID || sv.State != cycle.SupervisionIssued || sv.Number() != fmt.Sprintf("督办〔%d〕第 1 号", due.Year) {
		t.Fatalf("the notice issued: %+v", sv)
	}
	path := fmt.Sprintf("/api/v1/supervisions/%d", sv.ID)

	// The clerk's bell has it.
	var unread struct{ Unread int }
	f.must(duban.RoleClerk, http.StatusOK, reqGet("/api/v1/notifications/unread")).decode(t, &unread)
	if unread.Unread != 1 {
		t.Errorf("the clerk's bell: %d unread, want 1", unread.Unread)
	}
	var list struct{ Items []cycle.Notification }
	f.must(duban.RoleClerk, http.StatusOK, reqGet("/api/v1/notifications?unread=yes")).decode(t, &list)
	if len(list.Items) != 1 || !strings.Contains(list.Items[0].Text, sv.Number()) || list.Items[0].Link != fmt.Sprintf("/supervisions/%d", sv.ID) {
		t.Errorf("the clerk's notifications: %+v", list.Items)
	}

	// Acknowledged at the version read, answered at the next; a step from
	// the version read before is refused.
	r := f.must(duban.RoleClerk, http.StatusOK, reqGet(path))
	if got := r.Header.Get("ETag"); got != `"v1"` {
		t.Errorf("ETag: got %s, want \"v1\"", got)
	}
	step := func(role duban.Role, ifMatch string, body map[string]any, want int) *apiResponse {
		t.Helper()
		req := reqSend("PATCH", path, body)
		if ifMatch != "" {
			req.header = http.Header{"If-Match": {ifMatch}}
		}
		return f.must(role, want, req)
	}
	step(duban.RoleViewer, `"v1"`, map[string]any{"state": "acknowledged"}, http.StatusForbidden)
	step(duban.RoleClerk, "", map[string]any{"state": "acknowledged"}, http.StatusPreconditionRequired)
	if got := step(duban.RoleClerk, `"v1"`, map[string]any{"state": "acknowledged"}, http.StatusOK).Header.Get("ETag"); got != `"v2"` {
		t.Errorf("ETag after acknowledging: got %s, want \"v2\"", got)
	}
	stale := step(duban.RoleClerk, `W/"v1"`, map[string]any{"state": "answered", "answer": "已整改"}, http.StatusPreconditionFailed)
	if !strings.Contains(string(stale.Body), "api-clerk") {
		t.Errorf("the refusal of a stale version names who saved first: %s", stale.Body)
	}
	step(duban.RoleAdmin, `"v2"`, map[string]any{"state": "closed"}, http.StatusConflict) // not answered yet
	// The answer brings a file uploaded first, named by its hash.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("files", "整改情况报告.pdf")
	fw.Write([]byte(webtest.SamplePDF + "supervision"))
	mw.Close()
	var up struct{ Items []cycle.EvidenceRef }
	f.must(duban.RoleClerk, http.StatusCreated, apiRequest{method: "POST", path: "/api/v1/evidence", raw: body.Bytes(),
		contentType: mw.FormDataContentType()}).decode(t, &up)
	if len(up.Items) != 1 {
		t.Fatalf("the file uploaded: %+v", up.Items)
	}
	var answered cycle.Supervision
	step(duban.RoleClerk, `"v2"`, map[string]any{"state": "answered", "answer": "已召开推进会，提出整改措施",
		"evidence": []string{up.Items[0].SHA256}}, http.StatusOK).decode(t, &answered)
	if len(answered.Evidence) != 1 || answered.Evidence[0].Name != "整改情况报告.pdf" {
		t.Errorf("the answer's files: %+v", answered.Evidence)
	}
	step(duban.RoleClerk, `"v3"`, map[string]any{"state": "closed"}, http.StatusForbidden)
	var closed cycle.Supervision
	step(duban.RoleAdmin, "*", map[string]any{"state": "closed"}, http.StatusOK).decode(t, &closed)
	if closed.State != cycle.SupervisionClosed || closed.AcknowledgedBy == "" || closed.Answer == "" || closed.ClosedAt.IsZero() {
		t.Errorf("the notice closed: %+v", closed)
	}
	var open apiList
	f.must(duban.RoleViewer, http.StatusOK, reqGet("/api/v1/supervisions?state=open")).decode(t, &open)
	if open.Total != 0 {
		t.Errorf("open notices after closing: %d", open.Total)
	}

	// An urge reaches the unit and is counted.
	f.must(duban.RoleClerk, http.StatusForbidden, reqSend("POST", "/api/v1/urges", map[string]any{"task_id": task.ID}))
	f.must(duban.RoleAdmin, http.StatusCreated, reqSend("POST", "/api/v1/urges", map[string]any{"task_id": task.ID, "message": "请加快进度"}))
	var counts struct{ Items []cycle.UrgeCount }
	f.must(duban.RoleViewer, http.StatusOK, reqGet(fmt.Sprintf("/api/v1/urges/counts?unit=%d", f.unit.ID))).decode(t, &counts)
	if len(counts.Items) != 1 || counts.Items[0].Count != 1 {
		t.Errorf("urge counts: %+v", counts.Items)
	}
	var marked struct{ Marked int }
	f.must(duban.RoleClerk, http.StatusOK, reqSend("POST", "/api/v1/notifications/read-all", nil)).decode(t, &marked)
	if marked.Marked != 3 { // issued, closed, urged
		t.Errorf("marked %d read, want 3", marked.Marked)
	}
	f.must(duban.RoleClerk, http.StatusOK, reqGet("/api/v1/notifications/unread")).decode(t, &unread)
	if unread.Unread != 0 {
		t.Errorf("after reading all: %d unread", unread.Unread)
	}
}

// TestAPIChannels sets channels through the API: a webhook's secret made
// by the server is answered once and never again, a test message goes to
// a real receiver and the outcome is said in words, the log lists it.
func TestAPIChannels(t *testing.T) {
	f := newAPIFixture(t, true)
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	hook := notifytest.WebhookReceiver(t, time.Now, secret)
	f.must(duban.RoleClerk, http.StatusForbidden, reqGet("/api/v1/channels"))

	var made newChannel
	f.must(duban.RoleAdmin, http.StatusCreated, reqSend("POST", "/api/v1/channels", map[string]any{"name": "督查室接口", "kind": "webhook",
		"url": hook.URL + "/duban", "secret": secret, "enabled": true})).decode(t, &made)
	if made.Secret != "" || !made.Channel.HasSecret || made.Channel.Secret != "" {
		t.Errorf("a channel made with its secret: got %+v, secret %q; want the secret kept, not answered", made.Channel, made.Secret)
	}
	var generated newChannel
	f.must(duban.RoleAdmin, http.StatusCreated, reqSend("POST", "/api/v1/channels", map[string]any{"name": "无人接收", "kind": "webhook",
		"url": "http://127.0.0.1:9/hook", "enabled": true})).decode(t, &generated)
	if !strings.HasPrefix(generated.Secret, "whsec_") {
		t.Errorf("a webhook made without a secret: answered %q, want the secret made", generated.Secret)
	}
	r := f.must(duban.RoleAdmin, http.StatusOK, reqGet(fmt.Sprintf("/api/v1/channels/%d", generated.Channel.ID)))
	if strings.Contains(string(r.Body), strings.TrimPrefix(generated.Secret, "whsec_")) || !strings.Contains(string(r.Body), `"has_secret":true`) {
		t.Errorf("the channel read back shows its secret: %s", r.Body)
	}

	var sent, failed duban.Delivery
	f.must(duban.RoleAdmin, http.StatusOK, reqSend("POST", fmt.Sprintf("/api/v1/channels/%d/test", made.Channel.ID), nil)).decode(t, &sent)
	if sent.State != duban.DeliverySent || len(hook.Received()) != 1 || hook.Received()[0].Subject != "【督办系统】测试消息" {
		t.Errorf("the test through the webhook: %+v; received %+v", sent, hook.Received())
	}
	f.must(duban.RoleAdmin, http.StatusOK, reqSend("POST", fmt.Sprintf("/api/v1/channels/%d/test", generated.Channel.ID), nil)).decode(t, &failed)
	if failed.State != duban.DeliveryFailed || !strings.Contains(failed.LastError, "无法连接") {
		t.Errorf("the test to nowhere: got %s, %q; want failed, saying it could not connect", failed.State, failed.LastError)
	}
	var log apiList
	f.must(duban.RoleAdmin, http.StatusOK, reqGet("/api/v1/deliveries?event=test&state=sent")).decode(t, &log)
	if log.Total != 1 {
		t.Errorf("the log of tests sent: %d, want 1", log.Total)
	}
	f.must(duban.RoleAdmin, http.StatusBadRequest, reqGet("/api/v1/deliveries?event=other"))

	f.must(duban.RoleAdmin, http.StatusOK, reqSend("PATCH", fmt.Sprintf("/api/v1/channels/%d", made.Channel.ID), map[string]any{"enabled": false}))
	f.must(duban.RoleAdmin, http.StatusNoContent, apiRequest{method: "DELETE", path: fmt.Sprintf("/api/v1/channels/%d", generated.Channel.ID)})
	f.must(duban.RoleAdmin, http.StatusNotFound, reqGet(fmt.Sprintf("/api/v1/channels/%d", generated.Channel.ID)))
	var chans apiList
	f.must(duban.RoleAdmin, http.StatusOK, reqGet("/api/v1/channels?enabled=no")).decode(t, &chans)
	if chans.Total != 1 {
		t.Errorf("disabled channels: %d, want 1", chans.Total)
	}
}
