package supervision

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
)

// channelRoutes are the office's outbound channels (a unit's or a plan's
// WeCom or DingTalk robot, mail, a webhook into another system), the test
// message of each, and the log of what was sent.
func (s *server) channelRoutes() []web.Route {
	const manage = "管理消息发送渠道"
	return []web.Route{
		{Method: "GET", Pattern: "/channels", Allow: duban.CanManageChannels, Action: manage, Handler: s.channels},
		{Method: "GET", Pattern: "/channels/new", Allow: duban.CanManageChannels, Action: manage, Handler: s.newChannel},
		{Method: "POST", Pattern: "/channels", Allow: duban.CanManageChannels, Action: manage, Changes: true, Handler: s.createChannel},
		{Method: "GET", Pattern: "/channels/{channel}", Allow: duban.CanManageChannels, Action: manage, Handler: s.channel},
		{Method: "POST", Pattern: "/channels/{channel}", Allow: duban.CanManageChannels, Action: manage, Changes: true, Handler: s.updateChannel},
		{Method: "POST", Pattern: "/channels/{channel}/delete", Allow: duban.CanManageChannels, Action: manage, Changes: true, Handler: s.deleteChannel},
		{Method: "POST", Pattern: "/channels/{channel}/test", Allow: duban.CanManageChannels, Action: "测试发送渠道", Changes: true, Handler: s.testChannel},
		{Method: "GET", Pattern: "/deliveries", Allow: duban.CanManageChannels, Action: "查看发送记录", Handler: s.deliveries},
	}
}

// channelNames names the units and plans channels are set for.
type channelNames struct {
	Units []*duban.Unit
	Plans []*duban.Plan
	units map[int64]string
	plans map[int64]string
}

func (s *server) channelNames(r *http.Request) (channelNames, error) {
	c, err := s.Choices(r)
	if err != nil {
		return channelNames{}, err
	}
	n := channelNames{Units: c.Units, Plans: c.Plans, units: map[int64]string{}, plans: map[int64]string{}}
	for _, u := range c.Units {
		n.units[u.ID] = u.Name
	}
	for _, p := range c.Plans {
		n.plans[p.ID] = fmt.Sprintf("%d · %s", p.Year, p.Title)
	}
	return n, nil
}

// UnitName names a unit by ID ("" for none).
func (n channelNames) UnitName(id int64) string {
	if id == 0 {
		return ""
	}
	if name, ok := n.units[id]; ok {
		return name
	}
	return "#" + strconv.FormatInt(id, 10)
}

// PlanName names a plan by ID ("" for none).
func (n channelNames) PlanName(id int64) string {
	if id == 0 {
		return ""
	}
	if name, ok := n.plans[id]; ok {
		return name
	}
	return "#" + strconv.FormatInt(id, 10)
}

// channelsPage lists the channels.
type channelsPage struct {
	web.Base
	Channels []*duban.Channel
	Kinds    []duban.ChannelKind
	channelNames
}

func (*channelsPage) TemplateName() string { return "channels.html" }

func (s *server) channels(w http.ResponseWriter, r *http.Request) error {
	p := &channelsPage{Kinds: duban.ChannelKinds}
	p.Title = web.Lang(r).T("消息渠道")
	var err error
	if p.Channels, _, err = s.svc.Deliveries.FindChannels(r.Context(), duban.ChannelFilter{}); err != nil {
		return err
	}
	if p.channelNames, err = s.channelNames(r); err != nil {
		return err
	}
	return s.Render(w, r, p)
}

// channelPage is the form of a new channel or of one kept: the settings of
// its kind. A secret is never shown back; a form left empty keeps it.
type channelPage struct {
	web.Base
	Channel *duban.Channel
	// New says the form makes a channel.
	New bool
	// To is the recipients, one a line.
	To    string
	Error string
	channelNames
}

func (*channelPage) TemplateName() string { return "channel.html" }

// UnitSelected and PlanSelected mark the channel's scope in the form.
func (p *channelPage) UnitSelected(id int64) bool { return p.Channel.UnitID == id }
func (p *channelPage) PlanSelected(id int64) bool { return p.Channel.PlanID == id }

// URLHint is what the form's address field says for the kind.
func (p *channelPage) URLHint() string {
	switch p.Channel.Kind {
	case duban.ChannelWeCom:
		return "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
	case duban.ChannelDingTalk:
		return "https://oapi.dingtalk.com/robot/send?access_token=…"
	}
	return "https://"
}

func (s *server) renderChannel(w http.ResponseWriter, r *http.Request, status int, p *channelPage) error {
	var err error
	if p.channelNames, err = s.channelNames(r); err != nil {
		return err
	}
	if p.To == "" {
		p.To = strings.Join(p.Channel.To, "\n")
	}
	tr := web.Lang(r)
	p.Title = tr.T("消息渠道") + " · " + tr.T(p.Channel.Kind.Label())
	return s.RenderStatus(w, r, status, p)
}

func (s *server) newChannel(w http.ResponseWriter, r *http.Request) error {
	kind := duban.ChannelKind(r.URL.Query().Get("kind"))
	if kind == "" {
		kind = duban.ChannelKinds[0]
	}
	if !kind.Valid() {
		return duban.Errorf(duban.EINVALID, "请在“消息渠道”页面选择要新建的渠道类型。")
	}
	return s.renderChannel(w, r, http.StatusOK, &channelPage{Channel: &duban.Channel{Kind: kind, Enabled: true}, New: true})
}

// channelForm reads a channel form into an update: the fields of the
// channel's kind, the address and the secret only when typed.
func channelForm(r *http.Request, kind duban.ChannelKind) (duban.ChannelUpdate, error) {
	f := r.PostForm
	text := func(name string) *string {
		v := strings.TrimSpace(f.Get(name))
		return &v
	}
	id := func(name string) (*int64, error) {
		v, err := web.QueryInt(f, name)
		if v == nil {
			v = new(int64(0))
		}
		return v, err
	}
	upd := duban.ChannelUpdate{Name: text("name"), Enabled: new(f.Get("enabled") != "")}
	var err error
	if upd.UnitID, err = id("unit"); err != nil {
		return upd, err
	}
	if upd.PlanID, err = id("plan"); err != nil {
		return upd, err
	}
	if kind == duban.ChannelEmail {
		upd.SMTPAddr, upd.Username, upd.From = text("smtp_addr"), text("username"), text("from")
		to := strings.FieldsFunc(f.Get("to"), func(r rune) bool { return strings.ContainsRune("\n\r,;，；", r) })
		upd.To = &to
	} else if u := strings.TrimSpace(f.Get("url")); u != "" {
		upd.URL = &u
	}
	if sec := strings.TrimSpace(f.Get("secret")); sec != "" {
		upd.Secret = new(duban.Secret(sec))
	}
	upd.ClearSecret = f.Get("clear_secret") != ""
	return upd, nil
}

func (s *server) createChannel(w http.ResponseWriter, r *http.Request) error {
	kind := duban.ChannelKind(r.PostForm.Get("kind"))
	if !kind.Valid() {
		return duban.Errorf(duban.EINVALID, "请在“消息渠道”页面选择要新建的渠道类型。")
	}
	upd, err := channelForm(r, kind)
	if err != nil {
		return err
	}
	c := &duban.Channel{Kind: kind}
	upd.Apply(c)
	generated := kind == duban.ChannelWebhook && c.Secret == ""
	if err := s.svc.Deliveries.CreateChannel(r.Context(), c); err != nil {
		if duban.ErrorCode(err) != duban.EINVALID {
			return err
		}
		c.Secret = ""
		return s.renderChannel(w, r, http.StatusUnprocessableEntity, &channelPage{Channel: c, New: true, To: r.PostForm.Get("to"),
			Error: duban.ErrorMessage(err)})
	}
	tr := web.Lang(r)
	if generated {
		// The receiving system checks signatures with it: shown once, now.
		return s.ShowSecret(w, r, tr.T("Webhook 密钥"),
			tr.T("渠道“%s”已建立。请把下面的密钥交给接收系统用于验证签名；它只显示这一次。", c.Name), c.Secret.Reveal(), "/channels")
	}
	return s.Redirect(w, r, "/channels", tr.T("已新建渠道“%s”。可以点“发送测试”确认能收到。", c.Name))
}

// findChannel reads the channel a path names.
func (s *server) findChannel(r *http.Request) (*duban.Channel, error) {
	id, err := web.PathID(r, "channel")
	if err != nil {
		return nil, err
	}
	return s.svc.Deliveries.FindChannelByID(r.Context(), id)
}

func (s *server) channel(w http.ResponseWriter, r *http.Request) error {
	c, err := s.findChannel(r)
	if err != nil {
		return err
	}
	return s.renderChannel(w, r, http.StatusOK, &channelPage{Channel: c})
}

func (s *server) updateChannel(w http.ResponseWriter, r *http.Request) error {
	c, err := s.findChannel(r)
	if err != nil {
		return err
	}
	upd, err := channelForm(r, c.Kind)
	if err != nil {
		return err
	}
	saved, err := s.svc.Deliveries.UpdateChannel(r.Context(), c.ID, upd)
	if err != nil {
		if duban.ErrorCode(err) != duban.EINVALID {
			return err
		}
		upd.Secret = nil
		upd.Apply(c)
		return s.renderChannel(w, r, http.StatusUnprocessableEntity, &channelPage{Channel: c, To: r.PostForm.Get("to"), Error: duban.ErrorMessage(err)})
	}
	return s.Redirect(w, r, "/channels", web.Lang(r).T("已保存渠道“%s”。", saved.Name))
}

func (s *server) deleteChannel(w http.ResponseWriter, r *http.Request) error {
	c, err := s.findChannel(r)
	if err != nil {
		return err
	}
	if err := s.svc.Deliveries.DeleteChannel(r.Context(), c.ID); err != nil {
		return err
	}
	return s.Redirect(w, r, "/channels", web.Lang(r).T("已删除渠道“%s”；它的发送记录仍保留。", c.Name))
}

// testChannel sends a test message at once and says how it went in words:
// sent, or not sent and why.
func (s *server) testChannel(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "channel")
	if err != nil {
		return err
	}
	d, err := s.svc.Tester.SendTest(r.Context(), id)
	if err != nil {
		return err
	}
	tr := web.Lang(r)
	msg := tr.T("测试消息已发送到“%s”：请确认对方已收到。", d.ChannelName)
	if d.State != duban.DeliverySent {
		msg = tr.T("测试消息未能发送到“%s”：%s", d.ChannelName, d.LastError)
	}
	back := "/channels"
	if strings.HasPrefix(r.PostForm.Get("back"), "/channels/") {
		back = r.PostForm.Get("back")
	}
	return s.Redirect(w, r, back, msg)
}

// deliveriesPage is the delivery log: every message sent or not, and why.
type deliveriesPage struct {
	web.Base
	Items    []*duban.Delivery
	Channels []*duban.Channel
	States   []duban.DeliveryState
	Events   []string
	// The filter.
	Channel int64
	State   string
	Event   string
	Pager   web.Pager
	channelNames
}

func (*deliveriesPage) TemplateName() string { return "deliveries.html" }

// ChannelSelected marks the filter's channel.
func (p *deliveriesPage) ChannelSelected(id int64) bool { return p.Channel == id }

// EventLabel names what a message was.
func (*deliveriesPage) EventLabel(e string) string { return deliveryEvents[e] }

// deliveryEvents names the events of the messages duban sends.
var deliveryEvents = map[string]string{"reminder": "提醒", "urge": "催办", "supervision": "督办单", "test": "测试"}

func (s *server) deliveries(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := &deliveriesPage{States: []duban.DeliveryState{duban.DeliveryPending, duban.DeliverySending, duban.DeliverySent, duban.DeliveryFailed},
		Events: []string{"reminder", "urge", "supervision", "test"}, State: q.Get("state"), Event: q.Get("event")}
	p.Title = web.Lang(r).T("发送记录")
	f := duban.DeliveryFilter{}
	ch, err := web.QueryInt(q, "channel")
	if err != nil {
		return err
	}
	if ch != nil && *ch != 0 {
		f.ChannelID, p.Channel = ch, *ch
	}
	if p.State != "" {
		st := duban.DeliveryState(p.State)
		if !st.Valid() {
			return duban.Errorf(duban.EINVALID, "发送状态“%s”不正确：请从页面上的筛选条件重新选择。", p.State)
		}
		f.State = &st
	}
	if p.Event != "" {
		if _, ok := deliveryEvents[p.Event]; !ok {
			return duban.Errorf(duban.EINVALID, "消息类型“%s”不正确：请从页面上的筛选条件重新选择。", p.Event)
		}
		f.Event = &p.Event
	}
	pg := web.ReadPager(q)
	f.Offset, f.Limit = pg.Offset(), pg.Size
	if p.Items, pg.Total, err = s.svc.Deliveries.FindDeliveries(r.Context(), f); err != nil {
		return err
	}
	pg.Link = pageLink("/deliveries", q)
	p.Pager = pg
	if p.Channels, _, err = s.svc.Deliveries.FindChannels(r.Context(), duban.ChannelFilter{}); err != nil {
		return err
	}
	if p.channelNames, err = s.channelNames(r); err != nil {
		return err
	}
	return s.Render(w, r, p)
}
