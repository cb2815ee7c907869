package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dubanhq/duban"
)

// MaxRobotBytes is the most a robot's markdown may hold, in bytes of UTF-8:
// WeCom's limit, kept for DingTalk too so that one digest fits both.
const MaxRobotBytes = 4096

// cutNote ends a message cut to a robot's limit.
const cutNote = "\n\n……（消息过长，以下从略，请登录督办系统查看全文）"

// cutBytes returns s cut to at most limit bytes on a rune boundary, with
// cutNote at its end when anything was cut.
func cutBytes(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	n := max(limit-len(cutNote), 0)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + cutNote
}

// robotMarkdown writes a message as a robot's markdown: the subject as a
// heading, the body's lines joined by lineBreak (DingTalk keeps a single
// newline only in some clients), the link to open, all within the limit.
func robotMarkdown(m *Message, lineBreak string) string {
	var b strings.Builder
	b.WriteString("### " + m.Subject + "\n\n")
	b.WriteString(strings.ReplaceAll(strings.TrimSpace(m.Body), "\n", lineBreak))
	if m.Link != "" {
		b.WriteString("\n\n[打开督办系统查看](" + m.Link + ")")
	}
	return cutBytes(b.String(), MaxRobotBytes)
}

// Digest makes one message of several for a robot, whose group reads them
// together and which takes only some messages a minute: each one's subject
// in bold, its body and its link. ID is the first one's, so that a retry of
// the same jobs is the same message.
func Digest(ms []*Message) *Message {
	if len(ms) == 1 {
		return ms[0]
	}
	var b strings.Builder
	for i, m := range ms {
		if i > 0 {
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "**%d. %s**\n%s", i+1, m.Subject, strings.TrimSpace(m.Body))
		if m.Link != "" {
			b.WriteString("\n[查看](" + m.Link + ")")
		}
	}
	return &Message{ID: ms[0].ID, Event: ms[0].Event, Key: ms[0].Key,
		Subject: fmt.Sprintf("督办系统消息（%d 条）", len(ms)), Body: b.String()}
}

// robotAnswer is what both robots answer.
type robotAnswer struct {
	ErrCode *int   `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

func readRobotAnswer(who string, body []byte) (*robotAnswer, error) {
	var a robotAnswer
	if err := json.Unmarshal(body, &a); err != nil || a.ErrCode == nil {
		return nil, permanent(fmt.Errorf("answer: %s", snippet(body, 200)), "对方的应答无法识别（不像%s的应答）：请核对地址是否为机器人的 Webhook 地址。", who)
	}
	return &a, nil
}

// wecomSender posts markdown to a WeCom group robot, whose key is in its
// address, and reads the errcode of its answer (HTTP 200 either way).
type wecomSender struct{ s *Senders }

// WeComMessage is the JSON a WeCom robot takes.
type WeComMessage struct {
	MsgType  string `json:"msgtype"`
	Markdown struct {
		Content string `json:"content"`
	} `json:"markdown"`
}

func (w wecomSender) Send(ctx context.Context, ch *duban.Channel, m *Message) error {
	msg := WeComMessage{MsgType: "markdown"}
	msg.Markdown.Content = robotMarkdown(m, "\n")
	body, err := json.Marshal(msg)
	if err != nil {
		return permanent(err, "消息无法编码为 JSON。")
	}
	answer, err := w.s.post(ctx, ch.URL, body, nil)
	if err != nil {
		return err
	}
	a, err := readRobotAnswer("企业微信机器人", answer)
	if err != nil {
		return err
	}
	cause := fmt.Errorf("wecom errcode %d: %s", *a.ErrCode, a.ErrMsg)
	switch *a.ErrCode {
	case 0:
		return nil
	case 45009:
		f := retry(cause, "被限流：企业微信群机器人每分钟最多发送 20 条消息，稍后自动重发。")
		f.After = time.Minute
		return f
	case -1:
		return retry(cause, "企业微信系统繁忙，稍后自动重发。")
	case 93000:
		return permanent(cause, "机器人地址中的 key 无效：请在企业微信群的机器人设置中重新复制 Webhook 地址。")
	case 93004:
		return permanent(cause, "企业微信群机器人已被停用或删除：请在群中重新添加机器人并更新地址。")
	}
	return permanent(cause, "企业微信拒收消息（错误码 %d：%s）。", *a.ErrCode, snippet([]byte(a.ErrMsg), 80))
}

// dingtalkSender posts markdown to a DingTalk group robot. A robot with a
// signing secret (加签) is posted to at its signed address: the address
// with timestamp (milliseconds) and sign = urlencode(base64(HMAC-SHA256(
// secret, timestamp + "\n" + secret))).
type dingtalkSender struct{ s *Senders }

// DingTalkMessage is the JSON a DingTalk robot takes.
type DingTalkMessage struct {
	MsgType  string `json:"msgtype"`
	Markdown struct {
		Title string `json:"title"`
		Text  string `json:"text"`
	} `json:"markdown"`
}

// SignDingTalk returns the sign of a DingTalk robot's address, before URL
// encoding.
func SignDingTalk(secret string, timestampMillis int64) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestampMillis, 10) + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func (d dingtalkSender) Send(ctx context.Context, ch *duban.Channel, m *Message) error {
	msg := DingTalkMessage{MsgType: "markdown"}
	msg.Markdown.Title = m.Subject
	if utf8.RuneCountInString(msg.Markdown.Title) > 60 {
		msg.Markdown.Title = string([]rune(msg.Markdown.Title)[:60]) + "…"
	}
	msg.Markdown.Text = robotMarkdown(m, "\n\n")
	body, err := json.Marshal(msg)
	if err != nil {
		return permanent(err, "消息无法编码为 JSON。")
	}
	target := ch.URL
	if ch.Secret != "" {
		ts := d.s.now().UnixMilli()
		if target, err = addQuery(ch.URL, url.Values{
			"timestamp": {strconv.FormatInt(ts, 10)},
			"sign":      {SignDingTalk(ch.Secret.Reveal(), ts)},
		}); err != nil {
			return err
		}
	}
	answer, err := d.s.post(ctx, target, body, nil)
	if err != nil {
		return err
	}
	a, err := readRobotAnswer("钉钉机器人", answer)
	if err != nil {
		return err
	}
	cause := fmt.Errorf("dingtalk errcode %d: %s", *a.ErrCode, a.ErrMsg)
	msgLower := strings.ToLower(a.ErrMsg)
	switch code := *a.ErrCode; {
	case code == 0:
		return nil
	case code == 130101:
		f := retry(cause, "被限流：钉钉群机器人每分钟最多发送 20 条消息，超过后限流 10 分钟，届时自动重发。")
		f.After = 10 * time.Minute
		return f
	case code == -1:
		return retry(cause, "钉钉系统繁忙，稍后自动重发。")
	case code == 310000 && strings.Contains(msgLower, "sign"):
		return permanent(cause, "签名错误：请核对加签密钥（钉钉机器人安全设置中以 SEC 开头的一串），并确认本机时间准确。")
	case code == 310000 && strings.Contains(msgLower, "keyword"):
		return permanent(cause, "消息不含机器人要求的关键词：请在钉钉机器人安全设置中改用“加签”，或把“督办”加为关键词。")
	case code == 310000 && strings.Contains(msgLower, "ip"):
		return permanent(cause, "本服务器的 IP 不在钉钉机器人的 IP 白名单中：请在机器人安全设置中加入本服务器的出口 IP。")
	case code == 300001 || code == 400101:
		return permanent(cause, "机器人地址中的 access_token 无效：请在钉钉群的机器人设置中重新复制 Webhook 地址。")
	case code == 400102:
		return permanent(cause, "钉钉群机器人已停用：请在群中启用机器人。")
	}
	return permanent(cause, "钉钉拒收消息（错误码 %d：%s）。", *a.ErrCode, snippet([]byte(a.ErrMsg), 80))
}
