package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/dubanhq/duban"
)

// webhookSender posts a message as JSON signed as Standard Webhooks 1.0
// says: headers webhook-id, webhook-timestamp (Unix seconds) and
// webhook-signature "v1,<base64 of HMAC-SHA256 over id.timestamp.body>",
// so that the receiver can check it came from duban and is fresh.
type webhookSender struct{ s *Senders }

// WebhookPayload is the JSON body of a webhook: type and timestamp as
// Standard Webhooks recommends, and the message.
type WebhookPayload struct {
	Type      string      `json:"type"`
	Timestamp time.Time   `json:"timestamp"`
	Data      WebhookData `json:"data"`
}

// WebhookData is the message a webhook carries.
type WebhookData struct {
	ID      string `json:"id"`
	Key     string `json:"key"`
	Event   string `json:"event"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
	Link    string `json:"link,omitempty"`
	UnitID  int64  `json:"unit_id,omitempty"`
	PlanID  int64  `json:"plan_id,omitempty"`
}

// SignWebhook returns the webhook-signature header's value for a message.
func SignWebhook(key []byte, id string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + strconv.FormatInt(timestamp, 10) + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func (w webhookSender) Send(ctx context.Context, ch *duban.Channel, m *Message) error {
	if ch.Secret == "" {
		return permanent(nil, "Webhook 未设置密钥，消息无法签名：请在渠道设置中生成密钥，并告知接收方。")
	}
	key, err := duban.WebhookKey(ch.Secret)
	if err != nil {
		return permanent(nil, "Webhook 密钥格式不正确：请重新生成密钥。")
	}
	now := w.s.now()
	body, err := json.Marshal(WebhookPayload{Type: "duban." + m.Event, Timestamp: now.UTC().Truncate(time.Second), Data: WebhookData{
		ID: m.ID, Key: m.Key, Event: m.Event, Subject: m.Subject, Body: m.Body, Link: m.Link, UnitID: m.UnitID, PlanID: m.PlanID,
	}})
	if err != nil {
		return permanent(err, "消息无法编码为 JSON。")
	}
	ts := now.Unix()
	h := http.Header{}
	h.Set("webhook-id", m.ID)
	h.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	h.Set("webhook-signature", SignWebhook(key, m.ID, ts, body))
	_, err = w.s.post(ctx, ch.URL, body, h)
	return err
}
