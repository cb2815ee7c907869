package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"github.com/dubanhq/duban"
)

// smtpSender sends mail with the standard library's net/smtp: it is enough
// for one plain-text message over STARTTLS with PLAIN sign-in, and given our
// own connection it keeps to the time limit and reads a bounded answer.
// Mail goes only over an encrypted connection: a server that does not offer
// STARTTLS gets nothing, neither password nor content.
type smtpSender struct{ s *Senders }

// smtpStage says what the sender was doing, for the reason of a failure.
type smtpStage int

const (
	stageConnect smtpStage = iota
	stageTLS
	stageAuth
	stageFrom
	stageRcpt
	stageData
)

func (m smtpSender) Send(ctx context.Context, ch *duban.Channel, msg *Message) error {
	from, err := duban.ParseMailAddress("发件人", ch.From)
	if err != nil {
		return permanent(err, "%s", duban.ErrorMessage(err))
	}
	var to []*mail.Address
	for _, s := range ch.To {
		a, err := duban.ParseMailAddress("收件人", s)
		if err != nil {
			return permanent(err, "%s", duban.ErrorMessage(err))
		}
		to = append(to, a)
	}
	data := m.compose(from, to, msg)

	host, _, err := net.SplitHostPort(ch.SMTPAddr)
	if err != nil {
		return permanent(err, "邮件服务器地址 %q 不正确：请写成 主机名:端口。", ch.SMTPAddr)
	}
	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, "tcp", ch.SMTPAddr)
	if err != nil {
		return transportFailure(ctx, ch.SMTPAddr, m.s.timeout(), err)
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		conn.SetDeadline(deadline)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	stage, rcpt := stageConnect, ""
	fail := func(err error) error { return smtpFailure(ctx, ch, m.s.timeout(), stage, rcpt, err) }
	c, err := smtp.NewClient(&boundedConn{Conn: conn, left: maxResponse}, host)
	if err != nil {
		return fail(err)
	}
	defer c.Close()
	helo := m.s.HeloName
	if helo == "" {
		helo = "localhost"
	}
	if err := c.Hello(helo); err != nil {
		return fail(err)
	}
	if ok, _ := c.Extension("STARTTLS"); !ok {
		return permanent(nil, "邮件服务器 %s 不支持 STARTTLS 加密：为保护密码和内容，督办系统只通过加密连接发信。请改用支持 STARTTLS 的端口（通常为 587）。", ch.SMTPAddr)
	}
	stage = stageTLS
	if err := c.StartTLS(m.s.tlsConfig(host)); err != nil {
		return fail(err)
	}
	if ch.Username != "" {
		stage = stageAuth
		if err := c.Auth(smtp.PlainAuth("", ch.Username, ch.Secret.Reveal(), host)); err != nil {
			return fail(err)
		}
	}
	stage = stageFrom
	if err := c.Mail(from.Address); err != nil {
		return fail(err)
	}
	stage = stageRcpt
	for _, a := range to {
		rcpt = a.Address
		if err := c.Rcpt(rcpt); err != nil {
			return fail(err)
		}
	}
	stage = stageData
	w, err := c.Data()
	if err != nil {
		return fail(err)
	}
	if _, err := w.Write(data); err != nil {
		return fail(err)
	}
	if err := w.Close(); err != nil {
		return fail(err)
	}
	c.Quit() // the mail is accepted; a server that closes without a word has it all the same
	return nil
}

// compose writes the message: a subject in RFC 2047 encoded words, names
// likewise, the body as UTF-8 plain text in base64 lines.
func (m smtpSender) compose(from *mail.Address, to []*mail.Address, msg *Message) []byte {
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", from.String())
	var tos []string
	for _, a := range to {
		tos = append(tos, a.String())
	}
	header("To", strings.Join(tos, ",\r\n "))
	// Encoded words are folded onto lines of their own, so that a long
	// Chinese subject stays within the 998 bytes a header line may have.
	header("Subject", strings.ReplaceAll(mime.BEncoding.Encode("UTF-8", msg.Subject), " =?", "\r\n =?"))
	header("Date", m.s.now().Format(time.RFC1123Z))
	header("Message-ID", "<"+messageID(msg)+"@"+domainOf(from.Address)+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n")
	text := strings.ReplaceAll(strings.TrimSpace(msg.Body), "\r\n", "\n")
	if msg.Link != "" {
		text += "\n\n打开督办系统查看：" + msg.Link
	}
	text = strings.ReplaceAll(text, "\n", "\r\n") + "\r\n"
	enc := base64.StdEncoding.EncodeToString([]byte(text))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

// messageID is unique per attempt's message and tells the job it came from.
func messageID(msg *Message) string {
	r := make([]byte, 6)
	rand.Read(r)
	return "duban." + strings.TrimPrefix(msg.ID, "msg_") + "." + hex.EncodeToString(r)
}

func domainOf(addr string) string {
	if _, d, ok := strings.Cut(addr, "@"); ok && d != "" {
		return d
	}
	return "duban"
}

// smtpFailure says why a mail server did not take a message.
func smtpFailure(ctx context.Context, ch *duban.Channel, limit time.Duration, stage smtpStage, rcpt string, err error) *Failure {
	var te *textproto.Error
	if !errors.As(err, &te) {
		f := transportFailure(ctx, ch.SMTPAddr, limit, err)
		if stage == stageTLS && !f.Retry {
			f.Reason = fmt.Sprintf("邮件服务器 %s 的证书无法验证：请确认服务器地址正确；内网自签的证书需由系统管理员加入本机信任的证书。", ch.SMTPAddr)
		} else if stage == stageTLS {
			f.Reason = fmt.Sprintf("与邮件服务器 %s 建立加密连接失败，稍后重试。", ch.SMTPAddr)
		}
		return f
	}
	switch {
	case stage == stageAuth && (te.Code == 535 || te.Code == 534 || te.Code == 530):
		return permanent(err, "邮箱用户名或密码（授权码）错误（%d）：请核对渠道设置中的用户名和密码。", te.Code)
	case te.Code/100 == 4:
		return retry(err, "邮件服务器暂时无法接收（%d %s），稍后自动重发。", te.Code, snippet([]byte(te.Msg), 80))
	case stage == stageRcpt:
		return permanent(err, "收件人被邮件服务器拒收（%d）：请核对收件人邮箱 %s。", te.Code, rcpt)
	case stage == stageFrom:
		return permanent(err, "发件人 %s 被邮件服务器拒绝（%d %s）：请核对发件人邮箱，通常应与登录的邮箱一致。", ch.From, te.Code, snippet([]byte(te.Msg), 80))
	}
	return permanent(err, "邮件服务器拒收消息（%d %s）。", te.Code, snippet([]byte(te.Msg), 80))
}

// boundedConn reads at most left bytes in all from a server, so that one
// that talks without end cannot fill the memory.
type boundedConn struct {
	net.Conn
	left int
}

var errTooMuch = errors.New("the server sent more than expected")

func (c *boundedConn) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errTooMuch
	}
	if len(p) > c.left {
		p = p[:c.left]
	}
	n, err := c.Conn.Read(p)
	c.left -= n
	return n, err
}
