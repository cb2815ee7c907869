package duban

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ChannelKind is how a channel carries messages out of duban.
type ChannelKind string

// The kinds of channel.
const (
	// ChannelWebhook posts JSON signed as Standard Webhooks 1.0 to any
	// address the office names, for its own systems to take up.
	ChannelWebhook ChannelKind = "webhook"
	// ChannelWeCom posts markdown to a WeCom (企业微信) group robot.
	ChannelWeCom ChannelKind = "wecom"
	// ChannelDingTalk posts markdown to a DingTalk (钉钉) group robot at its
	// signed address.
	ChannelDingTalk ChannelKind = "dingtalk"
	// ChannelEmail sends mail through an SMTP server, encrypted by STARTTLS.
	ChannelEmail ChannelKind = "smtp"
)

// ChannelKinds lists the kinds in the order forms offer them.
var ChannelKinds = []ChannelKind{ChannelWeCom, ChannelDingTalk, ChannelEmail, ChannelWebhook}

// Valid reports whether k is one of the kinds.
func (k ChannelKind) Valid() bool {
	return k == ChannelWebhook || k == ChannelWeCom || k == ChannelDingTalk || k == ChannelEmail
}

// Label is the kind's name as the office reads it.
func (k ChannelKind) Label() string {
	switch k {
	case ChannelWebhook:
		return "通用 Webhook"
	case ChannelWeCom:
		return "企业微信群机器人"
	case ChannelDingTalk:
		return "钉钉群机器人"
	case ChannelEmail:
		return "电子邮件"
	}
	return string(k)
}

// IsRobot reports whether the kind is a chat group's robot, whose messages
// are read by people in a group and are limited in number a minute: the
// jobs due for one robot go out together as one message.
func (k ChannelKind) IsRobot() bool { return k == ChannelWeCom || k == ChannelDingTalk }

// Secret is a channel's key: the webhook's signing secret, the DingTalk
// robot's signing secret or the mail account's password. It prints as
// ****** however it is formatted, logged or marshalled, so that it reaches
// no page, log or API answer; Reveal gives the value to the code that signs.
type Secret string

const redacted = "******"

// Reveal returns the secret itself.
func (s Secret) Reveal() string { return string(s) }

// String hides the secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString hides the secret from %#v.
func (s Secret) GoString() string { return strconv.Quote(s.String()) }

// LogValue hides the secret from log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON hides the secret; decoding one from JSON is left as it is, so
// that a script can set it.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(s.String())), nil }

// NewWebhookSecret returns a random signing secret in the Standard Webhooks
// form (whsec_ and 24 bytes in base64), for the office to give to the
// system that receives the webhook.
func NewWebhookSecret() Secret {
	b := make([]byte, 24)
	rand.Read(b) // never returns an error (crypto/rand)
	return Secret("whsec_" + base64.StdEncoding.EncodeToString(b))
}

// WebhookKey returns the bytes a webhook secret signs with: a whsec_ secret's
// base64 part decoded, as the Standard Webhooks libraries do, and any other
// secret's bytes as given.
func WebhookKey(s Secret) ([]byte, error) {
	if rest, ok := strings.CutPrefix(string(s), "whsec_"); ok {
		return base64.StdEncoding.DecodeString(rest)
	}
	return []byte(s), nil
}

// Channel is a way of reaching people outside duban that the office sets:
// a unit's WeCom or DingTalk group, its clerks' mail, or a webhook into
// another system. A channel set for a unit carries what concerns that unit;
// one set for a plan carries what concerns the plan; one set for both, what
// concerns the unit in that plan; one set for neither, everything.
type Channel struct {
	ID   int64       `json:"id"`
	Name string      `json:"name"`
	Kind ChannelKind `json:"kind"`
	// UnitID and PlanID scope the channel (0 for any).
	UnitID int64 `json:"unit_id,omitempty"`
	PlanID int64 `json:"plan_id,omitempty"`

	// URL is where webhooks and robots post. A robot's address carries its
	// key (WeCom's key=, DingTalk's access_token=), so it is shown
	// redacted like the secret.
	URL string `json:"url,omitempty"`

	// SMTPAddr is the mail server as host:port; Username signs in to it
	// (empty for a server that takes mail without signing in); From and To
	// are the sender and the recipients.
	SMTPAddr string   `json:"smtp_addr,omitempty"`
	Username string   `json:"username,omitempty"`
	From     string   `json:"from,omitempty"`
	To       []string `json:"to,omitempty"`

	// Secret is set on writes and in the jobs the drainer claims; every
	// read for people returns it empty with HasSecret telling whether one is
	// kept.
	Secret    Secret `json:"secret,omitempty"`
	HasSecret bool   `json:"has_secret"`

	Enabled   bool      `json:"enabled"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// String names the channel without its address or secret.
func (c *Channel) String() string {
	return "渠道 #" + strconv.FormatInt(c.ID, 10) + "（" + c.Name + "，" + c.Kind.Label() + "）"
}

// Redacted returns a copy of the channel fit to show: no secret, and the
// values in its address's query and user parts hidden.
func (c *Channel) Redacted() *Channel {
	r := *c
	r.HasSecret = c.HasSecret || c.Secret != ""
	r.Secret = ""
	r.URL = RedactURL(c.URL)
	r.To = append([]string(nil), c.To...)
	return &r
}

// Matches reports whether a message about a unit in a plan goes through the
// channel (0 for a message not about one unit or one plan).
func (c *Channel) Matches(unitID, planID int64) bool {
	return (c.UnitID == 0 || c.UnitID == unitID) && (c.PlanID == 0 || c.PlanID == planID)
}

// RedactURL hides what in an address may be a key: each query value but its
// first four characters, and the password of user:password@.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		if raw == "" {
			return ""
		}
		return redacted
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	if u.RawQuery != "" {
		var parts []string
		for _, kv := range strings.Split(u.RawQuery, "&") {
			k, v, _ := strings.Cut(kv, "=")
			if len(v) > 4 {
				v = v[:4] + redacted
			} else if v != "" {
				v = redacted
			}
			parts = append(parts, k+"="+v)
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	u.Fragment = ""
	return u.String()
}

// Limits of a channel's settings.
const (
	maxChannelName = 100
	maxChannelURL  = 2000
	maxRecipients  = 50
	maxSecret      = 500
)

// Validate checks a channel's settings for its kind: an http or https
// address for webhooks and robots; a host:port, a sender and recipients for
// mail.
func (c *Channel) Validate() error {
	switch {
	case strings.TrimSpace(c.Name) == "":
		return Errorf(EINVALID, "请给渠道起一个名称，例如“区财政局工作群”。")
	case utf8.RuneCountInString(c.Name) > maxChannelName:
		return Errorf(EINVALID, "渠道名称过长（超过 %d 字）。", maxChannelName)
	case !c.Kind.Valid():
		return Errorf(EINVALID, "渠道类型 %q 不正确：应为 wecom（企业微信群机器人）、dingtalk（钉钉群机器人）、smtp（电子邮件）或 webhook（通用 Webhook）。", c.Kind)
	case c.UnitID < 0 || c.PlanID < 0:
		return Errorf(EINVALID, "渠道所属的单位或文件编号不正确。")
	case len(c.Secret) > maxSecret:
		return Errorf(EINVALID, "密钥过长（超过 %d 个字符）：请检查是否粘贴了多余的内容。", maxSecret)
	case strings.ContainsAny(string(c.Secret), "\r\n"):
		return Errorf(EINVALID, "密钥中不能有换行：请重新粘贴。")
	}
	if c.Kind == ChannelEmail {
		return c.validateEmail()
	}
	if c.SMTPAddr != "" || c.Username != "" || c.From != "" || len(c.To) > 0 {
		return Errorf(EINVALID, "%s渠道不使用邮件服务器和收件人：请清空这些项。", c.Kind.Label())
	}
	if err := ValidateChannelURL(c.URL); err != nil {
		return err
	}
	if c.Kind == ChannelWebhook && c.Secret != "" {
		if _, err := WebhookKey(c.Secret); err != nil {
			return Errorf(EINVALID, "Webhook 密钥以 whsec_ 开头时，其后应是 base64 编码：请重新复制密钥，或留空由系统生成。")
		}
	}
	return nil
}

// ValidateChannelURL checks a webhook's or robot's address: http or https,
// with a host, without a password in it, and not a redacted one shown back.
func ValidateChannelURL(raw string) error {
	if strings.TrimSpace(raw) == "" {
		return Errorf(EINVALID, "请填写机器人或 Webhook 的地址（以 https:// 开头）。")
	}
	if len(raw) > maxChannelURL {
		return Errorf(EINVALID, "地址过长（超过 %d 个字符）。", maxChannelURL)
	}
	if strings.Contains(raw, redacted) {
		return Errorf(EINVALID, "地址中含有已隐藏的部分（%s）：请粘贴完整的地址；不修改地址时请不要提交此项。", redacted)
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || strings.ContainsAny(raw, " \t\r\n"):
		return Errorf(EINVALID, "地址无法识别：请从机器人或接收系统的设置中完整复制。")
	case u.Scheme != "http" && u.Scheme != "https":
		return Errorf(EINVALID, "地址应以 https:// 或 http:// 开头，不能是 %q。", u.Scheme+":")
	case u.Host == "" || u.Hostname() == "":
		return Errorf(EINVALID, "地址缺少主机名：应形如 https://主机名/路径。")
	case u.User != nil:
		return Errorf(EINVALID, "地址中不要写用户名和密码：Webhook 的密钥请填在“密钥”一项。")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return Errorf(EINVALID, "地址中的端口 %s 不正确。", p)
		}
	}
	return nil
}

func (c *Channel) validateEmail() error {
	if c.URL != "" {
		return Errorf(EINVALID, "电子邮件渠道不使用地址（URL）：请填写邮件服务器。")
	}
	if err := ValidateSMTPAddr(c.SMTPAddr); err != nil {
		return err
	}
	if utf8.RuneCountInString(c.Username) > 200 || strings.ContainsAny(c.Username, "\r\n") {
		return Errorf(EINVALID, "邮箱用户名不正确（过长或含换行）。")
	}
	if c.Username != "" && c.Secret == "" && !c.HasSecret {
		return Errorf(EINVALID, "填写了邮箱用户名时，请同时填写密码（或授权码）。")
	}
	if _, err := ParseMailAddress("发件人", c.From); err != nil {
		return err
	}
	switch {
	case len(c.To) == 0:
		return Errorf(EINVALID, "请至少填写一个收件人邮箱。")
	case len(c.To) > maxRecipients:
		return Errorf(EINVALID, "收件人过多（超过 %d 个）：请改用单位的公共邮箱或邮件组。", maxRecipients)
	}
	for _, to := range c.To {
		if _, err := ParseMailAddress("收件人", to); err != nil {
			return err
		}
	}
	return nil
}

// ValidateSMTPAddr checks a mail server's address: host:port.
func ValidateSMTPAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" || strings.ContainsAny(addr, " \t\r\n/") {
		return Errorf(EINVALID, "邮件服务器“%s”不正确：请写成 主机名:端口，例如 mail.example.gov.cn:587。", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return Errorf(EINVALID, "邮件服务器的端口 %q 不正确：常用 587 或 25。", port)
	}
	return nil
}

// ParseMailAddress reads one mail address, with or without a name
// (张三 <zhang@example.gov.cn>); what names the field in a message.
func ParseMailAddress(what, s string) (*mail.Address, error) {
	if strings.TrimSpace(s) == "" {
		return nil, Errorf(EINVALID, "请填写%s邮箱。", what)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || len(s) > 320 || !strings.Contains(a.Address, "@") {
		return nil, Errorf(EINVALID, "%s邮箱“%s”不正确：应形如 name@example.gov.cn。", what, s)
	}
	return a, nil
}

// ChannelFilter selects channels, by name. Nil fields do not filter.
type ChannelFilter struct {
	Kind    *ChannelKind
	UnitID  *int64
	PlanID  *int64
	Enabled *bool

	Offset int
	Limit  int
}

// ChannelUpdate changes a channel; nil fields are left as they are. The
// secret is replaced only when given, so that a form that does not show it
// keeps it; ClearSecret removes it.
type ChannelUpdate struct {
	Name        *string   `json:"name,omitempty"`
	UnitID      *int64    `json:"unit_id,omitempty"`
	PlanID      *int64    `json:"plan_id,omitempty"`
	URL         *string   `json:"url,omitempty"`
	SMTPAddr    *string   `json:"smtp_addr,omitempty"`
	Username    *string   `json:"username,omitempty"`
	From        *string   `json:"from,omitempty"`
	To          *[]string `json:"to,omitempty"`
	Secret      *Secret   `json:"secret,omitempty"`
	ClearSecret bool      `json:"clear_secret,omitempty"`
	Enabled     *bool     `json:"enabled,omitempty"`
}

// Apply sets the update's fields on c.
func (u ChannelUpdate) Apply(c *Channel) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&c.Name, u.Name)
	set(&c.URL, u.URL)
	set(&c.SMTPAddr, u.SMTPAddr)
	set(&c.Username, u.Username)
	set(&c.From, u.From)
	if u.UnitID != nil {
		c.UnitID = *u.UnitID
	}
	if u.PlanID != nil {
		c.PlanID = *u.PlanID
	}
	if u.To != nil {
		c.To = append([]string(nil), (*u.To)...)
	}
	if u.ClearSecret {
		c.Secret, c.HasSecret = "", false
	}
	if u.Secret != nil && *u.Secret != "" {
		c.Secret, c.HasSecret = *u.Secret, true
	}
	if u.Enabled != nil {
		c.Enabled = *u.Enabled
	}
}

// DeliveryState is where a delivery job is.
type DeliveryState string

// The states of a delivery job. A job that failed and will be tried again
// is pending with its attempts and last error; failed means given up.
const (
	DeliveryPending DeliveryState = "pending"
	DeliverySending DeliveryState = "sending"
	DeliverySent    DeliveryState = "sent"
	DeliveryFailed  DeliveryState = "failed"
)

// Valid reports whether s is one of the states.
func (s DeliveryState) Valid() bool {
	return s == DeliveryPending || s == DeliverySending || s == DeliverySent || s == DeliveryFailed
}

// Label is the state's name as the office reads it.
func (s DeliveryState) Label() string {
	switch s {
	case DeliveryPending:
		return "待发送"
	case DeliverySending:
		return "发送中"
	case DeliverySent:
		return "已发送"
	case DeliveryFailed:
		return "发送失败"
	}
	return string(s)
}

// Delivery is one message to send through one channel: a job in the table
// the servers drain. Its Key makes it once-only: whoever enqueues a message
// names it (a reminder by obligation, channel and day), and a second job
// with the same key is never made, whichever server tries.
type Delivery struct {
	ID          int64       `json:"id"`
	ChannelID   int64       `json:"channel_id"`
	ChannelName string      `json:"channel_name"`
	ChannelKind ChannelKind `json:"channel_kind"`
	// Channel is the channel in full, secret included, in the jobs that
	// ClaimDeliveries hands to the drainer; nil elsewhere.
	Channel *Channel `json:"-"`

	Key string `json:"key"`
	// Event says what the message is, for the webhook's type and the log:
	// reminder, urge, supervision, test….
	Event string `json:"event"`
	// UnitID and PlanID say whom and what the message concerns (0 for none).
	UnitID  int64  `json:"unit_id,omitempty"`
	PlanID  int64  `json:"plan_id,omitempty"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
	// Link is the page in duban the message is about, for the reader to open.
	Link string `json:"link,omitempty"`

	State    DeliveryState `json:"state"`
	Attempts int           `json:"attempts"`
	// NextAttemptAt is when a pending job is due.
	NextAttemptAt time.Time `json:"next_attempt_at"`
	// LastError says in words a clerk understands why the last attempt
	// failed.
	LastError string `json:"last_error,omitempty"`
	// LeaseOwner and LeaseUntil say which server is sending the job and
	// until when; a job whose lease ran out (its server stopped) is due
	// again.
	LeaseOwner string    `json:"lease_owner,omitempty"`
	LeaseUntil time.Time `json:"lease_until,omitzero"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	SentAt    time.Time `json:"sent_at,omitzero"`
}

// Limits of a delivery job.
const (
	MaxDeliveryKey     = 200
	MaxDeliverySubject = 200   // characters
	MaxDeliveryBody    = 20000 // bytes
)

var eventRE = regexp.MustCompile(`^[a-z][a-z0-9_.]{0,39}$`)

// Validate checks a job before it is enqueued.
func (d *Delivery) Validate() error {
	switch {
	case d.ChannelID <= 0:
		return Errorf(EINVALID, "请指定发送的渠道。")
	case strings.TrimSpace(d.Key) == "" || len(d.Key) > MaxDeliveryKey:
		return Errorf(EINVALID, "发送任务的去重键为空或过长（超过 %d 个字节）。", MaxDeliveryKey)
	case !eventRE.MatchString(d.Event):
		return Errorf(EINVALID, "发送任务的事件类型 %q 不正确：应为小写字母开头的英文标识，如 reminder。", d.Event)
	case strings.TrimSpace(d.Subject) == "":
		return Errorf(EINVALID, "消息缺少标题。")
	case utf8.RuneCountInString(d.Subject) > MaxDeliverySubject || strings.ContainsAny(d.Subject, "\r\n"):
		return Errorf(EINVALID, "消息标题过长（超过 %d 字）或含有换行。", MaxDeliverySubject)
	case len(d.Body) > MaxDeliveryBody:
		return Errorf(EINVALID, "消息正文过长（超过 %d 字节）。", MaxDeliveryBody)
	case !utf8.ValidString(d.Subject) || !utf8.ValidString(d.Body):
		return Errorf(EINVALID, "消息中有无法识别的字符（不是 UTF-8）。")
	case d.UnitID < 0 || d.PlanID < 0:
		return Errorf(EINVALID, "消息所涉单位或文件的编号不正确。")
	}
	if d.Link != "" {
		if err := ValidateChannelURL(d.Link); err != nil {
			return Errorf(EINVALID, "消息中的链接不正确：%s", ErrorMessage(err))
		}
	}
	return nil
}

// DeliveryFilter selects jobs for the delivery log, newest first. Nil fields
// do not filter.
type DeliveryFilter struct {
	ChannelID *int64
	UnitID    *int64
	PlanID    *int64
	State     *DeliveryState
	Event     *string
	// Key selects the one job with that key.
	Key *string

	Offset int
	Limit  int
}

// DeliveryClaim asks for due jobs: up to Limit of them, leased to Owner (a
// name unique to one drainer of one server) for Lease.
type DeliveryClaim struct {
	Owner string
	Limit int
	Lease time.Duration
}

// DeliveryFailure is what the drainer records of a failed attempt: the
// reason in Chinese, and either when to try again or that it gives up.
type DeliveryFailure struct {
	Reason  string
	RetryIn time.Duration
	Final   bool
}

// CanManageChannels reports whether u may set the outbound channels, send
// tests through them and read the delivery log: the office's work, since a
// channel holds keys and reaches people outside duban.
func CanManageChannels(u *User) bool { return IsOffice(u) }

// DeliveryService keeps the outbound channels and the table of delivery
// jobs that every server drains. Channel settings and the log are the
// office's (CanManageChannels); the queue's methods (EnqueueDelivery and the
// drainer's claims and marks) are the server's own work, called by code that
// has already decided who may cause a message, and check no user.
type DeliveryService interface {
	// FindChannelByID returns a channel, redacted.
	FindChannelByID(ctx context.Context, id int64) (*Channel, error)
	// FindChannels returns channels, redacted, by name, and how many match.
	FindChannels(ctx context.Context, f ChannelFilter) ([]*Channel, int, error)
	// CreateChannel adds a channel and sets its ID.
	CreateChannel(ctx context.Context, c *Channel) error
	// UpdateChannel changes a channel and returns it, redacted.
	UpdateChannel(ctx context.Context, id int64, upd ChannelUpdate) (*Channel, error)
	// DeleteChannel removes a channel. Its jobs stay in the log under the
	// name it had; those not yet sent are marked failed.
	DeleteChannel(ctx context.Context, id int64) error
	// ChannelsFor returns the enabled channels a message about a unit in a
	// plan goes through (Channel.Matches), redacted.
	ChannelsFor(ctx context.Context, unitID, planID int64) ([]*Channel, error)

	// EnqueueDelivery adds a job, due at once unless NextAttemptAt is later,
	// and sets its ID. A job with the same key already made, by this server
	// or another, makes it do nothing: it reports false and leaves d's ID 0.
	EnqueueDelivery(ctx context.Context, d *Delivery) (bool, error)
	// ClaimDeliveries leases due jobs to a drainer: pending ones whose time
	// has come and sending ones whose lease ran out. Each claim counts an
	// attempt. No job is leased to two drainers at once.
	ClaimDeliveries(ctx context.Context, c DeliveryClaim) ([]*Delivery, error)
	// ClaimDelivery leases one job now, due or not, unless it is sent,
	// failed or leased to another drainer (ECONFLICT). It sends a test at
	// once.
	ClaimDelivery(ctx context.Context, id int64, c DeliveryClaim) (*Delivery, error)
	// MarkDeliverySent records that a leased job was sent. A drainer whose
	// lease was taken over gets ECONFLICT.
	MarkDeliverySent(ctx context.Context, id int64, owner string) (*Delivery, error)
	// MarkDeliveryFailed records a failed attempt of a leased job: pending
	// again after f.RetryIn, or failed for good when f.Final.
	MarkDeliveryFailed(ctx context.Context, id int64, owner string, f DeliveryFailure) (*Delivery, error)

	// FindDeliveries returns jobs for the delivery log, newest first, and
	// how many match.
	FindDeliveries(ctx context.Context, f DeliveryFilter) ([]*Delivery, int, error)
}
