package supervision

import (
	"net/http"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
)

// notificationRoutes are the bell's page: the user's notifications,
// opening one (which marks it read) and marking them all read.
func (s *server) notificationRoutes() []web.Route {
	const see, read = "查看通知", "标记通知已读"
	return []web.Route{
		{Method: "GET", Pattern: "/notifications", Allow: duban.CanRead, Action: see, Handler: s.notifications},
		{Method: "POST", Pattern: "/notifications/{notification}/read", Allow: duban.CanRead, Action: read, Changes: true, Handler: s.readNotification},
		{Method: "POST", Pattern: "/notifications/read-all", Allow: duban.CanRead, Action: read, Changes: true, Handler: s.readAllNotifications},
	}
}

// notificationsPage lists the user's notifications, newest first.
type notificationsPage struct {
	web.Base
	Items      []*cycle.Notification
	OnlyUnread bool // only the unread are listed
	Pager      web.Pager
}

func (*notificationsPage) TemplateName() string { return "notifications.html" }

// Text is a notification in the page's language.
func (p *notificationsPage) Text(n *cycle.Notification) string {
	if p.Lang == "en" && n.TextEN != "" {
		return n.TextEN
	}
	return n.Text
}

// KindLabel names what a notification is about.
func (*notificationsPage) KindLabel(k cycle.NotificationKind) string { return notificationKinds[k] }

// notificationKinds name the kinds of notification.
var notificationKinds = map[cycle.NotificationKind]string{cycle.NotifyReminder: "提醒", cycle.NotifyUrge: "催办",
	cycle.NotifyReview: "审核", cycle.NotifySubmitted: "报送", cycle.NotifySupervision: "督办单", cycle.NotifyClosure: "办结"}

func (s *server) notifications(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := &notificationsPage{OnlyUnread: q.Get("unread") == "1"}
	p.Title = web.Lang(r).T("通知")
	pg := web.ReadPager(q)
	var err error
	if p.Items, pg.Total, err = s.svc.Notifications.FindNotifications(r.Context(),
		cycle.NotificationFilter{Unread: p.OnlyUnread, Offset: pg.Offset(), Limit: pg.Size}); err != nil {
		return err
	}
	pg.Link = pageLink("/notifications", q)
	p.Pager = pg
	return s.Render(w, r, p)
}

// readNotification marks a notification read and, when the form says
// open, goes to the page it is about.
func (s *server) readNotification(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "notification")
	if err != nil {
		return err
	}
	n, err := s.svc.Notifications.UpdateNotification(r.Context(), id, cycle.NotificationUpdate{Read: new(true)})
	if err != nil {
		return err
	}
	// Only a path of this site: a notification never sends anyone away.
	if r.PostForm.Get("open") != "" && strings.HasPrefix(n.Link, "/") && !strings.HasPrefix(n.Link, "//") {
		return s.Redirect(w, r, n.Link, "")
	}
	return s.Redirect(w, r, "/notifications", "")
}

func (s *server) readAllNotifications(w http.ResponseWriter, r *http.Request) error {
	n, err := s.svc.Notifications.MarkNotificationsRead(r.Context())
	if err != nil {
		return err
	}
	return s.Redirect(w, r, "/notifications", web.Lang(r).T("已将 %d 条通知标为已读。", n))
}
