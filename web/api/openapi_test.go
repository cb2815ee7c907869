package api

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/export"
	"github.com/dubanhq/duban/notice"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/xlsx"
)

var update = flag.Bool("update", false, "rewrite openapi.json from the API's route table and types")

// The OpenAPI document is generated here, from the route table and the Go
// types each route reads and answers, and checked in as openapi.json, which
// the server embeds and serves. TestOpenAPIDocument fails when the two
// differ, so that a change to the API shows in the document's diff; run
//
//	go test ./web/api -run TestOpenAPIDocument -update
//
// to rewrite it. Schemas follow encoding/json: a field's JSON name, and
// whether it can be absent (omitempty, omitzero) or null (a pointer, slice
// or map of a domain type; the API's own envelopes are never null).

// apiDoc is what the route table does not say about an API route.
type apiDoc struct {
	// id is the operation's name, for client generators.
	id string
	// about says more than the route's Action, when there is more to say.
	about string
	// query names the route's query parameters, from apiQueryParams.
	query []string
	// body is a value of the JSON body's type; nil for none.
	body any
	// upload says the body is a notice file (multipart or raw); workbook
	// that it is a filled-in workbook (.xlsx).
	upload, workbook bool
	// resp is a value of the answer's type; nil for 204 No Content.
	resp any
	// status is the success status; 200 when 0. created201 lists both 200
	// and 201.
	status int
	// file says the answer is a file, not JSON.
	file bool
	// evidence says the body is a multipart form of evidence files.
	evidence bool
}

// created201 is the status of a route that answers 201 when it makes
// something and 200 when it does not (an import of a known notice).
const created201 = -201

var (
	paging = []string{"offset", "limit", "page", "size"}
	ledger = []string{"plan", "year", "section", "area", "leader", "unit", "role", "targets", "due", "state", "q", "sort", "order"}
)

// apiDocs describes each API route, by the route's method and pattern.
var apiDocs = map[string]apiDoc{
	"GET /api/v1/me":           {id: "getMe", about: "调用者本人的账号：脚本可用它检查令牌。", resp: &duban.User{}},
	"GET /api/v1/openapi.json": {id: "getOpenAPI", about: "本文档。", resp: map[string]any{}},
	"POST /api/v1/me/password": {id: "changeMyPassword", body: changePasswordRequest{}, status: http.StatusNoContent,
		about: "调用者修改本人的密码，须给出当前的密码；本人其他的登录随之退出（用会话调用的浏览器保留它自己的），本人的 API 令牌（包括调用所用的）随之吊销。"},

	"GET /api/v1/plans": {id: "listPlans", query: append([]string{"year", "state", "region", "doc_number"}, paging...), resp: apiList[*duban.Plan]{}},
	"POST /api/v1/plans": {id: "importPlan", upload: true, resp: &duban.ImportResult{}, status: created201,
		about: "导入一份通知：新的文件草稿（201）；同一文件再次导入，不新建任何内容（200，outcome=unchanged）；已有文件的更正通知，列出变更而不应用（200，outcome=reissue，用 POST /api/v1/plans/{plan}/reissue 应用）。"},
	"GET /api/v1/plans/{plan}": {id: "getPlan", about: "文件及其行动、重点领域和读取提示。", resp: &duban.Plan{}},
	"GET /api/v1/plans/{plan}/source": {id: "getPlanSource", file: true,
		about: "最近一次导入的通知原文件，原样返回；X-Duban-Issue 头给出第几次发文，X-Duban-SHA256 头给出文件摘要。"},
	"POST /api/v1/plans/{plan}/diff":              {id: "diffPlan", upload: true, resp: &duban.PlanDiff{}, about: "比较更正通知与文件，不做任何修改。"},
	"POST /api/v1/plans/{plan}/reissue":           {id: "reissuePlan", upload: true, resp: &duban.PlanDiff{}, about: "应用更正通知：新增、撤销、改写任务，每项变更记入任务历史；返回已应用的变更。"},
	"POST /api/v1/plans/{plan}/publish":           {id: "publishPlan", resp: &publishedPlan{}, about: "发布审核完毕的草稿；名录中还没有的单位和领导随之加入名录。groups_without_members 列出还没有成员的统称：写给它们的任务暂时没有单位看得到，请在单位名录中设置成员。"},
	"POST /api/v1/plans/{plan}/archive":           {id: "archivePlan", resp: &duban.Plan{}},
	"POST /api/v1/plans/{plan}/expand":            {id: "expandGroup", body: duban.GroupExpansion{}, resp: apiList[*duban.Task]{}, about: "把任务分工中的统称（如“各街道办事处”）替换为它所指的单位；“相关街道办事处”这类统称需要在 unit_ids 中给出单位。plan_id 可省略。返回改变了的任务。"},
	"GET /api/v1/plans/{plan}/statements":         {id: "listStatements", query: append([]string{"state"}, paging...), resp: apiList[*duban.Statement]{}},
	"POST /api/v1/statements/{statement}/assign":  {id: "assignStatement", body: duban.StatementAssignment{}, resp: &duban.Task{}, status: http.StatusCreated, about: "给无人认领的段落指定分工，使它成为所在重点领域末尾的一项任务。分工中的单位和领导可以用 id 或 name 指明。"},
	"POST /api/v1/statements/{statement}/dismiss": {id: "dismissStatement", body: dismissRequest{}, resp: &duban.Statement{}},

	"GET /api/v1/tasks": {id: "listTasks", query: append(slices.Clone(ledger), paging...), resp: apiList[*duban.Task]{},
		about: "台账：参数与台账页面的地址相同，把台账地址中的 /tasks 换成 /api/v1/tasks 即得到同样的任务。"},
	"GET /api/v1/tasks/{task}": {id: "getTask", resp: &duban.Task{}},
	"PATCH /api/v1/tasks/{task}": {id: "updateTask", body: duban.TaskUpdate{}, resp: &duban.Task{},
		about: "更正任务：给出的字段被设置，其余不变。分工中的单位和领导可以用 id 或 name 指明。"},
	"POST /api/v1/tasks/{task}/split":    {id: "splitTask", body: splitRequest{}, resp: splitResponse{}, status: http.StatusCreated, about: "在任务内容的第 at 个字（从 0 数）之前拆分草稿中的任务。"},
	"POST /api/v1/tasks/{task}/merge":    {id: "mergeTasks", body: mergeRequest{}, resp: &duban.Task{}, about: "把草稿中的任务 other 并入本任务，并删除 other。"},
	"GET /api/v1/tasks/{task}/comments":  {id: "listComments", query: paging, resp: apiList[*duban.Comment]{}},
	"POST /api/v1/tasks/{task}/comments": {id: "addComment", body: commentRequest{}, resp: &duban.Comment{}, status: http.StatusCreated, about: "督查室和领导可对任何任务发表意见；单位联络员只能填报本单位任务（包括写给本单位所属统称的任务）的进展情况。"},

	"GET /api/v1/units":                 {id: "listUnits", query: append([]string{"q", "kind", "plan", "merged"}, paging...), resp: apiList[*duban.Unit]{}},
	"POST /api/v1/units":                {id: "createUnit", body: unitRequest{}, resp: &duban.Unit{}, status: http.StatusCreated, about: "kind 省略时按名称推断。"},
	"GET /api/v1/units/{unit}":          {id: "getUnit", resp: &duban.Unit{}},
	"PATCH /api/v1/units/{unit}":        {id: "updateUnit", body: duban.UnitUpdate{}, resp: &duban.Unit{}, about: "改名（原名称保留为别名）或改变类型。"},
	"POST /api/v1/units/{unit}/aliases": {id: "addUnitAlias", body: aliasRequest{}, resp: &duban.Unit{}},
	"POST /api/v1/units/{unit}/merge":   {id: "mergeUnits", body: mergeUnitRequest{}, resp: &duban.Unit{}, about: "把本单位合并到单位 into：名称成为其别名，任务、联络员和统称的成员关系随之转移。统称只能与统称合并。返回合并后的单位。"},
	"PUT /api/v1/units/{unit}/members":  {id: "setGroupMembers", body: membersRequest{}, resp: &duban.Unit{}, about: "设置统称（kind=group，如“各街道办事处”）所指的单位，替换原有成员；[] 去掉全部成员。写给统称的任务到达每个成员：成员单位的任务列表、计数和联络员的填报权限都包括它们。"},
	"GET /api/v1/units/{unit}/tasks": {id: "listUnitTasks", query: append(slices.DeleteFunc(slices.Clone(ledger), func(s string) bool { return s == "unit" }), paging...), resp: apiList[*duban.Task]{},
		about: "单位牵头（role=lead）或参与（role=shared）的任务，跨文件、跨年度；其余参数与台账相同。"},
	"GET /api/v1/leaders":            {id: "listLeaders", query: append([]string{"q"}, paging...), resp: apiList[*duban.Leader]{}},
	"POST /api/v1/leaders":           {id: "createLeader", body: leaderRequest{}, resp: &duban.Leader{}, status: http.StatusCreated},
	"GET /api/v1/leaders/{leader}":   {id: "getLeader", resp: &duban.Leader{}},
	"PATCH /api/v1/leaders/{leader}": {id: "updateLeader", body: duban.LeaderUpdate{}, resp: &duban.Leader{}},
	"GET /api/v1/leaders/{leader}/tasks": {id: "listLeaderTasks", query: append(slices.DeleteFunc(slices.Clone(ledger), func(s string) bool { return s == "leader" || s == "role" }), paging...), resp: apiList[*duban.Task]{},
		about: "领导牵头的任务，跨文件、跨年度；其余参数与台账相同。"},

	"GET /api/v1/users":                  {id: "listUsers", query: append([]string{"role", "unit"}, paging...), resp: apiList[*duban.User]{}},
	"POST /api/v1/users":                 {id: "createUser", body: userRequest{}, resp: &duban.User{}, status: http.StatusCreated, about: "单位联络员需要 unit_id，领导账号需要 leader_id。不给 password 的账号在设置密码前不能登录。"},
	"GET /api/v1/users/{user}":           {id: "getUser", resp: &duban.User{}},
	"PATCH /api/v1/users/{user}":         {id: "updateUser", body: duban.UserUpdate{}, resp: &duban.User{}, about: "角色和绑定一起检查；停用的账号立即在所有地方退出登录，其 API 令牌全部吊销，重新启用也不恢复。"},
	"POST /api/v1/users/{user}/password": {id: "setPassword", body: passwordRequest{}, status: http.StatusNoContent, about: "重置密码；该账号的所有会话随之结束，其 API 令牌全部吊销，登录限制随之解除。"},
	"POST /api/v1/users/{user}/unlock":   {id: "unlockUser", resp: unlocked{}, about: "清除该账号失败的登录记录，解除从任何地址登录的暂停。"},
	"GET /api/v1/tokens":                 {id: "listTokens", query: append([]string{"revoked"}, paging...), resp: apiList[*duban.APIToken]{}, about: "调用者本人的 API 令牌，新的在前。"},
	"POST /api/v1/tokens":                {id: "createToken", body: tokenRequest{}, resp: newToken{}, status: http.StatusCreated, about: "为调用者创建 API 令牌。secret 只在此时显示一次，服务器只保存其摘要。"},
	"DELETE /api/v1/tokens/{token}":      {id: "revokeToken", resp: &duban.APIToken{}, about: "吊销调用者本人的一个令牌。"},
	"GET /api/v1/audit":                  {id: "listAuditEvents", query: append([]string{"entity", "entity_id", "plan"}, paging...), resp: apiList[*duban.AuditEvent]{}, about: "审计日志，新的在前。一项任务的历史：entity=task&entity_id=任务编号。"},
	"GET /api/v1/audit/verify":           {id: "verifyAudit", resp: &duban.AuditVerification{}, about: "校验整条审计链；链断开时 problems 列出位置（仍是 200）。"},

	"GET /api/v1/plans/{plan}/overview": {id: "getOverview", query: []string{"period"}, resp: &cycle.Overview{},
		about: "一屏统览：按状态灯、行动、牵头领导和单位统计任务，量化指标完成情况，各期趋势，逾期未报的单位和在办督办单；默认为有状态灯的最近一期。领导账号的 mine 列出其牵头的任务。"},
	"GET /api/v1/plans/{plan}/tasktable.xlsx": {id: "getTaskTable", query: []string{"unit", "leader"}, file: true,
		about: "任务分解表（Excel）：序号、任务内容、牵头领导、牵头单位、责任单位、完成时限、备注；可只导出一个单位或一位领导的任务。"},
	"GET /api/v1/periods/{period}/progress.xlsx": {id: "getProgressBook", file: true,
		about: "本期进展台账（Excel）：每项任务的任务报告、完成进度、指标完成情况、状态灯（单元格着色）及其原因。"},
	"GET /api/v1/periods/{period}/fillin.xlsx": {id: "getFillIn", query: []string{"unit"}, file: true,
		about: "单位本期的离线填报表（Excel）：可填写的单元格解锁，其余保护；隐藏列记录每行的任务和版本。联络员默认本单位，督查室需给出 unit。"},
	"POST /api/v1/periods/{period}/fillin": {id: "uploadFillIn", query: []string{"unit"}, workbook: true, resp: &export.FillInResult{},
		about: "上传填好的填报表（请求体为文件，或 multipart 表单的 file 字段）。逐行检查：有错误时不保存任何内容，错误信息列出各处的行和列；下载后在系统中改过的行列在 stale 中，不覆盖；其余改动的行在一个事务中保存为单位的报告。"},
	"GET /api/v1/periods/{period}/bulletin": {id: "getBulletin", resp: &cycle.Bulletin{},
		about: "本期通报的内容：督查室编辑的文号、主送机关、开头、结尾和落款，以及按本期报告和状态灯生成的数字、滞后任务、逾期单位和工作亮点。"},
	"PATCH /api/v1/periods/{period}/bulletin": {id: "updateBulletin", body: cycle.BulletinTextUpdate{}, resp: &cycle.BulletinText{},
		about: "修改本期通报的文号、主送机关、开头、结尾或落款。"},
	"GET /api/v1/periods/{period}/bulletin.docx": {id: "getBulletinDocx", file: true, about: "本期通报（Word，GB/T 9704 公文格式）。"},
	"GET /api/v1/plans/{plan}/publication":       {id: "getPublication", resp: &cycle.Publication{}, about: "文件是否在政务公开页面上公开，及不公开的任务。"},
	"PATCH /api/v1/plans/{plan}/publication": {id: "updatePublication", body: cycle.PublicationUpdate{}, resp: &cycle.Publication{},
		about: "公开或取消公开文件；hide 和 show 列出不公开和恢复公开的任务。"},
	"GET /api/v1/plans/{plan}/cycle": {id: "getCycleSettings", resp: &cycle.CycleSettings{},
		about: "文件的报送周期、序时进度起算日、状态灯阈值和提醒日；督查室未设置时为默认（每月 25 日前报送）。calendar_known 为 false 时，该年度的法定节假日尚未录入，截止日只避开了周末。"},
	"PATCH /api/v1/plans/{plan}/cycle": {id: "updateCycleSettings", body: cycle.CycleSettingsUpdate{}, resp: &cycle.CycleSettings{},
		about: "给出的字段被设置。新的报送周期重新生成尚未开启的填报周期。"},
	"GET /api/v1/plans/{plan}/periods":  {id: "listPeriods", query: append([]string{"state"}, paging...), resp: apiList[*cycle.Period]{}},
	"POST /api/v1/plans/{plan}/periods": {id: "createPeriods", resp: apiList[*cycle.Period]{}, status: http.StatusCreated, about: "按报送周期生成已发布文件的全年填报周期（只能生成一次）；截止日遇节假日顺延至下一个工作日，due_note 说明。"},
	"GET /api/v1/periods/{period}":      {id: "getPeriod", resp: &cycle.Period{}},
	"PATCH /api/v1/periods/{period}": {id: "updatePeriod", body: cycle.PeriodUpdate{}, resp: &cycle.Period{},
		about: "开启（pending → open）、关闭（open → closed）、重新开启（closed → open，须给出 reason，记入日志），或调整截止日（顺延至工作日）。"},
	"GET /api/v1/calendar":    {id: "listCalendarOverrides", query: []string{"year"}, resp: apiList[*cycle.CalendarOverride]{}, about: "督查室对节假日的调整（程序未内置的年度在此录入）。"},
	"POST /api/v1/calendar":   {id: "setCalendarOverride", body: cycle.CalendarOverride{}, resp: &cycle.CalendarOverride{}, status: http.StatusCreated, about: "设置某一天为休息日或工作日（调休），替换此前的设置；未关闭周期的截止日随之调整。"},
	"DELETE /api/v1/calendar": {id: "deleteCalendarOverride", query: []string{"date"}, status: http.StatusNoContent},

	"GET /api/v1/obligations": {id: "listObligations", query: []string{"plan", "period", "unit", "task", "open"}, resp: apiList[*cycle.Obligation]{},
		about: "各单位在填报周期中应报的报告及其状态（须给出 plan 或 period）。单位联络员只能看到本单位的。"},
	"GET /api/v1/reports": {id: "listReports", query: append([]string{"plan", "period", "task", "unit", "kind", "state"}, paging...), resp: apiList[*cycle.Report]{},
		about: "报告，按任务和周期排列。单位联络员只能看到本单位承担的任务的报告。"},
	"POST /api/v1/reports": {id: "createReport", body: reportRequest{}, resp: &cycle.Report{}, status: http.StatusCreated,
		about: "保存报告的第一版（state 为 draft 或 submitted）。单位联络员为本单位填报：牵头汇总的单位写任务报告，其他单位写分项报告；督查室可用 unit_id 代单位填报。evidence 列出 POST /api/v1/evidence 返回的 sha256。ETag 头给出版本。"},
	"GET /api/v1/reports/{report}": {id: "getReport", resp: &cycle.Report{}, about: "ETag 头给出报告的版本（如 \"v3\"），修改时放在 If-Match 头中。"},
	"PATCH /api/v1/reports/{report}": {id: "updateReport", body: reportPatch{}, resp: &cycle.Report{},
		about: "从 If-Match 头给出的版本修改报告：缺少 If-Match 返回 428；其间他人已保存返回 412，message 说明由谁、何时保存。单位报送（submitted，退回后为 resubmitted），督查室审核通过（accepted）或退回（returned，须给出 return_reason）。"},
	"GET /api/v1/reports/{report}/versions": {id: "listReportVersions", resp: apiList[*cycle.ReportVersion]{}, about: "报告的每一版，从旧到新。"},
	"GET /api/v1/reports/{report}/compare":  {id: "compareReports", query: []string{"a", "b"}, resp: web.Comparison{}, about: "比较两个版本，逐项列出不同之处。"},
	"GET /api/v1/reports/{report}/files/{file}": {id: "getReportFile", query: []string{"version"}, file: true,
		about: "报告的第 file 个附件（从 1 起；version 给出旧版本的附件），作为下载返回。"},
	"POST /api/v1/evidence": {id: "uploadEvidence", evidence: true, resp: apiList[cycle.EvidenceRef]{}, status: http.StatusCreated,
		about: "上传佐证材料：文件类型由内容判断，只接受 PDF、OFD、图片和 Office 文档；返回的 sha256 在报告或办结申请的 evidence 中引用。"},
	"GET /api/v1/lights": {id: "listLights", query: append([]string{"plan", "period", "task", "status", "latest"}, paging...), resp: apiList[*cycle.Light]{},
		about: "各期的状态灯及其理由；latest=yes 时每个文件只取最近一期。"},
	"GET /api/v1/closures": {id: "listClosures", query: append([]string{"plan", "task", "state"}, paging...), resp: apiList[*cycle.Closure]{},
		about: "办结申请，新的在前。单位联络员只能看到本单位承担的任务的。"},
	"POST /api/v1/tasks/{task}/closure": {id: "requestClosure", body: closureRequest{}, resp: &cycle.Closure{}, status: http.StatusCreated,
		about: "牵头单位申请办结任务，附佐证材料（evidence 为已上传文件的 sha256）。"},
	"PATCH /api/v1/closures/{closure}": {id: "decideClosure", body: cycle.ClosureUpdate{}, resp: &cycle.Closure{},
		about: "督查室同意办结（closed，任务的状态灯变为已办结）或不同意（declined，须给出 reason）。"},
	"GET /api/v1/closures/{closure}/files/{file}": {id: "getClosureFile", file: true, about: "办结申请的第 file 个附件（从 1 起），作为下载返回。"},

	"GET /api/v1/supervisions": {id: "listSupervisions", query: append([]string{"plan", "unit", "task", "year", "state"}, paging...), resp: apiList[*cycle.Supervision]{},
		about: "督办单，新的在前。state=open 列出未办结的。"},
	"POST /api/v1/supervisions": {id: "issueSupervision", body: supervisionRequest{}, resp: &cycle.Supervision{}, status: http.StatusCreated,
		about: "下发督办单，按年度编号（督办〔2022〕第 3 号）：任务应属同一文件，承办单位省略时为任务的牵头单位。给出 repeat_of 即再督办：接续该督办单，任务和单位省略时沿用。"},
	"GET /api/v1/supervisions/{supervision}": {id: "getSupervision", resp: &cycle.Supervision{}, about: "ETag 头给出督办单的版本，办理时放在 If-Match 头中。"},
	"PATCH /api/v1/supervisions/{supervision}": {id: "updateSupervision", body: supervisionPatch{}, resp: &cycle.Supervision{},
		about: "签收（state=acknowledged）、反馈（state=answered，附 answer；evidence 列出先上传到 /api/v1/evidence 的附件摘要，替换原有附件）或办结（state=closed，督查室）。版本由 If-Match 头给出（读取时的 ETag，如 v3；没有时返回 428），督办单已被他人办理时返回 412。"},
	"GET /api/v1/urges": {id: "listUrges", query: append([]string{"plan", "task", "unit"}, paging...), resp: apiList[*cycle.Urge]{}, about: "催办记录，新的在前。"},
	"POST /api/v1/urges": {id: "urge", body: urgeRequest{}, resp: &cycle.Urge{}, status: http.StatusCreated,
		about: "催办一项任务（task_id；单位省略时为牵头单位）或一个单位（unit_id 和 plan_id）：单位在系统内收到通知，并经为它设置的渠道发出，记入催办次数。"},
	"GET /api/v1/urges/counts":                   {id: "countUrges", query: []string{"plan", "task", "unit"}, resp: apiList[cycle.UrgeCount]{}, about: "各单位被催办的次数和最近一次的时间，多的在前。"},
	"GET /api/v1/notifications":                  {id: "listNotifications", query: append([]string{"unread"}, paging...), resp: apiList[*cycle.Notification]{}, about: "调用者的通知（本人的、本单位的、督查室的），新的在前。"},
	"GET /api/v1/notifications/unread":           {id: "countUnreadNotifications", resp: unreadCount{}, about: "调用者未读的通知数：页面顶栏铃铛上的数字。"},
	"PATCH /api/v1/notifications/{notification}": {id: "updateNotification", body: cycle.NotificationUpdate{}, resp: &cycle.Notification{}, about: "标为已读（read=true）或未读。"},
	"POST /api/v1/notifications/read-all":        {id: "markNotificationsRead", resp: markedRead{}, about: "把调用者的通知全部标为已读，返回标记的条数。"},
	"GET /api/v1/channels": {id: "listChannels", query: append([]string{"unit", "plan", "enabled"}, paging...), resp: apiList[*duban.Channel]{},
		about: "消息发送渠道。地址中的密钥已隐藏，密钥本身从不返回（has_secret 说明是否设置）。"},
	"POST /api/v1/channels": {id: "createChannel", body: channelRequest{}, resp: &newChannel{}, status: http.StatusCreated,
		about: "新建渠道：企业微信或钉钉群机器人（url，钉钉加签密钥 secret）、电子邮件（smtp_addr、username、secret、from、to）或通用 Webhook（url；secret 省略时由服务器生成，只在此时返回一次）。"},
	"GET /api/v1/channels/{channel}":    {id: "getChannel", resp: &duban.Channel{}},
	"PATCH /api/v1/channels/{channel}":  {id: "updateChannel", body: duban.ChannelUpdate{}, resp: &duban.Channel{}, about: "修改渠道：给出的字段被设置，其余不变；secret 只在给出时替换，clear_secret 清除。"},
	"DELETE /api/v1/channels/{channel}": {id: "deleteChannel", about: "删除渠道：未发出的消息标为失败，发送记录保留。"},
	"POST /api/v1/channels/{channel}/test": {id: "testChannel", resp: &duban.Delivery{},
		about: "立即发送一条测试消息（渠道停用时也发），返回其发送记录：state=sent 已发送，failed 时 last_error 说明原因。"},
	"GET /api/v1/deliveries": {id: "listDeliveries", query: append([]string{"channel", "unit", "plan", "state", "event"}, paging...), resp: apiList[*duban.Delivery]{},
		about: "发送记录，新的在前：每条消息经哪个渠道、是否发出、失败的原因。"},
}

// queryParam is a query parameter of the API.
type queryParam struct {
	schema map[string]any
	about  string
}

func enumOf(values ...string) map[string]any { return map[string]any{"type": "string", "enum": values} }

var (
	integerParam = map[string]any{"type": "integer", "minimum": 0}
	stringParam  = map[string]any{"type": "string"}
)

// apiQueryParams are the query parameters of the API, by name, so that a
// name means the same wherever it is used.
var apiQueryParams = map[string]queryParam{
	"offset":     {integerParam, "跳过的条数。"},
	"limit":      {map[string]any{"type": "integer", "minimum": 1, "maximum": apiMaxLimit, "default": apiDefaultLimit}, "每页条数。"},
	"page":       {map[string]any{"type": "integer", "minimum": 1}, "页码，从 1 起，与页面地址相同；给出 offset 时不用。"},
	"size":       {map[string]any{"type": "integer", "minimum": 1, "maximum": apiMaxLimit}, "每页条数，与页面地址相同；limit 的别名。"},
	"year":       {integerParam, "年度。"},
	"state":      {stringParam, "状态。"},
	"region":     {stringParam, "地区。"},
	"doc_number": {stringParam, "文号。"},
	"plan":       {integerParam, "文件编号。"},
	"section":    {integerParam, "行动编号（0 为主要预期目标），需要 plan。"},
	"area":       {integerParam, "重点领域编号，需要 plan 和 section。"},
	"leader":     {integerParam, "牵头领导的编号。"},
	"unit":       {integerParam, "单位编号：它牵头或参与的任务，包括写给它所属统称的任务。"},
	"role":       {enumOf("lead", "shared"), "单位的分工：lead 牵头，shared 参与（列为责任单位而不牵头）；需要 unit。"},
	"targets":    {enumOf("yes", "no"), "是否有量化目标。"},
	"due": {enumOf(string(duban.DueThisMonth), string(duban.DueOverdue), string(duban.DueOngoing), string(duban.DueUnread)),
		"按完成时限（读成日期后）筛选：month 本月到期，overdue 已过完成时限（到昨天为止），ongoing 长期坚持，unread 时限未能识别。"},
	"q": {stringParam, "在内容（或名称）中查找的文字。"},
	"sort": {enumOf(string(duban.TaskSortDeadline), string(duban.TaskSortLeadUnit), string(duban.TaskSortLeader), string(duban.TaskSortUpdated)),
		"排序：完成时限、牵头单位、牵头领导、最近修改；省略时按文件顺序（新的年度在前）。"},
	"order":     {enumOf("asc", "desc"), "desc 倒序。"},
	"kind":      {enumOf("department", "street", "company", "group"), "单位类型。"},
	"merged":    {enumOf("yes"), "yes 时包括已合并到其他单位的单位。"},
	"revoked":   {enumOf("yes"), "yes 时包括已吊销的令牌。"},
	"entity":    {stringParam, "对象类型：plan、task、statement、unit、leader、user…"},
	"entity_id": {integerParam, "对象编号，与 entity 一起用。"},
	"period":    {integerParam, "填报周期编号。"},
	"task":      {integerParam, "任务编号。"},
	"status":    {enumOf(lightEnum...), "状态灯。"},
	"latest":    {enumOf("yes"), "yes 时每个文件只取最近一期。"},
	"open":      {enumOf("yes", "no"), "yes 时只列尚未报送的。"},
	"date":      {map[string]any{"type": "string", "format": "date"}, "日期，如 2028-10-01。"},
	"a":         {map[string]any{"type": "integer", "minimum": 1}, "比较的一个版本，默认为当前版本的前一版。"},
	"b":         {map[string]any{"type": "integer", "minimum": 1}, "比较的另一个版本，默认为当前版本。"},
	"version":   {map[string]any{"type": "integer", "minimum": 1}, "报告的版本，默认为当前版本。"},
	"unread":    {enumOf("yes"), "yes 时只列未读的。"},
	"enabled":   {enumOf("yes", "no"), "是否启用。"},
	"channel":   {integerParam, "渠道编号。"},
	"event":     {enumOf("reminder", "urge", "supervision", "test"), "消息类型：提醒、催办、督办单、测试。"},
}

// lightEnum are the lights' values.
var lightEnum = func() []string {
	var out []string
	for _, l := range cycle.LightStatuses {
		out = append(out, string(l))
	}
	return out
}()

// apiParamEnums are the query parameters whose values are a domain type's.
var apiParamEnums = map[string]map[string]any{
	"GET /api/v1/plans state":                   {"enum": []string{"draft", "published", "archived"}},
	"GET /api/v1/tasks state":                   {"enum": []string{"draft", "published", "archived"}},
	"GET /api/v1/units/{unit}/tasks state":      {"enum": []string{"draft", "published", "archived"}},
	"GET /api/v1/leaders/{leader}/tasks state":  {"enum": []string{"draft", "published", "archived"}},
	"GET /api/v1/plans/{plan}/statements state": {"enum": []string{"open", "assigned", "dismissed"}},
	"GET /api/v1/users role":                    {"enum": []string{"admin", "leader", "clerk", "viewer"}},
	"GET /api/v1/plans/{plan}/periods state":    {"enum": []string{"pending", "open", "closed"}},
	"GET /api/v1/reports kind":                  {"enum": []string{"part", "task"}},
	"GET /api/v1/reports state":                 {"enum": []string{"draft", "submitted", "returned", "resubmitted", "accepted"}},
	"GET /api/v1/closures state":                {"enum": []string{"requested", "closed", "declined"}},
	"GET /api/v1/supervisions state":            {"enum": []string{"open", "issued", "acknowledged", "answered", "closed", "reissued"}},
	"GET /api/v1/deliveries state":              {"enum": []string{"pending", "sending", "sent", "failed"}},
}

// domainEnums are the values of the domain's string types, for the schemas.
var domainEnums = map[reflect.Type][]string{
	reflect.TypeFor[duban.PlanState]():        {"draft", "published", "archived"},
	reflect.TypeFor[duban.TaskState]():        {"active", "withdrawn"},
	reflect.TypeFor[duban.StatementState]():   {"open", "assigned", "dismissed"},
	reflect.TypeFor[duban.Role]():             {"admin", "leader", "clerk", "viewer"},
	reflect.TypeFor[duban.UnitKind]():         {"department", "street", "company", "group"},
	reflect.TypeFor[duban.UnitEventKind]():    {"renamed", "merged_in", "merged_into", "alias", "created"},
	reflect.TypeFor[duban.ChangeKind]():       {"added", "removed", "changed", "unchanged"},
	reflect.TypeFor[duban.ImportOutcome]():    {"created", "unchanged", "reissue"},
	reflect.TypeFor[duban.Comparison]():       {"=", ">=", ">", "<=", "~", "range"},
	reflect.TypeFor[cycle.LightStatus]():      {"closed", "done", "normal", "lagging", "severe", "missing", "not_started"},
	reflect.TypeFor[cycle.PeriodState]():      {"pending", "open", "closed"},
	reflect.TypeFor[cycle.ReportKind]():       {"part", "task"},
	reflect.TypeFor[cycle.ReportState]():      {"draft", "submitted", "returned", "resubmitted", "accepted"},
	reflect.TypeFor[cycle.SupervisionState](): {"issued", "acknowledged", "answered", "closed", "reissued"},
	reflect.TypeFor[cycle.ScheduleKind]():     {"monthly", "quarterly", "custom"},
	reflect.TypeFor[cycle.ClosureState]():     {"requested", "closed", "declined"},
	reflect.TypeFor[duban.ChannelKind]():      {"wecom", "dingtalk", "smtp", "webhook"},
	reflect.TypeFor[duban.DeliveryState]():    {"pending", "sending", "sent", "failed"},
	reflect.TypeFor[cycle.NotificationKind](): {"reminder", "urge", "review", "submitted", "supervision", "closure"},
}

// errorCodes are the codes an error answer may carry.
var errorCodes = []string{duban.EINVALID, duban.ENOTFOUND, duban.ECONFLICT, duban.EUNAUTHORIZED,
	duban.EFORBIDDEN, duban.ETOOLARGE, duban.ETOOMANY, duban.EINTERNAL, duban.EPRECONDITION, duban.EPRECONDREQUIRED}

// schemaGen builds JSON Schemas from Go types, collecting named ones as
// components.
type schemaGen struct {
	components map[string]any
	// request says the schemas are of request bodies. A domain type there
	// requires none of its fields (the service says what is missing, and
	// an owner may be given by ID or by name alone), and is a component of
	// its own, named …Input, when answers use the type too.
	request bool
	// answers are the components of answers, made before any request's.
	answers map[string]bool
	// types are the Go types of the components, which no two may share a
	// name.
	types map[string]reflect.Type
}

var timeType = reflect.TypeFor[time.Time]()
var dateType = reflect.TypeFor[duban.Date]()
var rawType = reflect.TypeFor[json.RawMessage]()

// componentName names a struct type's schema: its Go name, capitalised;
// apiList[*duban.Plan] is PlanList.
func componentName(t reflect.Type) string {
	name := t.Name()
	if i := strings.IndexByte(name, '['); i >= 0 {
		elem := name[i+1 : len(name)-1]
		elem = elem[strings.LastIndexAny(elem, ".*")+1:]
		return elem + "List"
	}
	r := []rune(name)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// schema returns the schema of values of t, never null.
func (g *schemaGen) schema(t reflect.Type) map[string]any {
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	if t == dateType {
		// YYYY-MM-DD, or "" for no date.
		return map[string]any{"type": "string"}
	}
	if t == rawType {
		return map[string]any{}
	}
	if values, ok := domainEnums[t]; ok {
		return map[string]any{"type": "string", "enum": values}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.schema(t.Elem())
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Array:
		return map[string]any{"type": "array", "items": g.schema(t.Elem()), "minItems": t.Len(), "maxItems": t.Len()}
	case reflect.Map:
		return map[string]any{"type": "object"}
	case reflect.Struct:
		if t.Name() == "" {
			return g.object(t)
		}
		name := componentName(t)
		if g.request && g.answers[name] {
			name += "Input"
		}
		if prev, ok := g.types[name]; ok && prev != t {
			panic(fmt.Sprintf("openapi: %s and %s would both be the component %s", prev, t, name))
		}
		if g.types == nil {
			g.types = map[string]reflect.Type{}
		}
		g.types[name] = t
		if _, done := g.components[name]; !done {
			g.components[name] = nil // a placeholder, for types that refer to themselves
			g.components[name] = g.object(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	panic(fmt.Sprintf("openapi: no schema for %s", t))
}

// object returns the schema of a struct's JSON object.
func (g *schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	required := []string{}
	own := t.PkgPath() == reflect.TypeFor[server]().PkgPath() || t.PkgPath() == reflect.TypeFor[web.Server]().PkgPath() || t.Name() == ""
	optional := g.request && !own
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		s := g.schema(f.Type)
		omit := strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")
		nullable := !own && !omit && (f.Type.Kind() == reflect.Pointer || f.Type.Kind() == reflect.Slice || f.Type.Kind() == reflect.Map) && f.Type != rawType
		if nullable {
			s = orNull(s)
		}
		props[name] = s
		if !omit && !optional {
			required = append(required, name)
		}
	}
	slices.Sort(required)
	return map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

// orNull lets a schema also be null.
func orNull(s map[string]any) map[string]any {
	if typ, ok := s["type"].(string); ok {
		c := map[string]any{}
		for k, v := range s {
			c[k] = v
		}
		c["type"] = []string{typ, "null"}
		return c
	}
	return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
}

// permissionName is the name of a route's permission rule (CanRead).
func permissionName(allow func(*duban.User) bool) string {
	name := runtime.FuncForPC(reflect.ValueOf(allow).Pointer()).Name()
	return name[strings.LastIndexByte(name, '.')+1:]
}

var wildcardRE = regexp.MustCompile(`\{([a-z_]+)\}`)

// generateOpenAPI builds the document from the route table and apiDocs.
func generateOpenAPI(routes []web.Route) ([]byte, error) {
	g := &schemaGen{components: map[string]any{}}
	g.schema(reflect.TypeFor[web.APIError]())
	apiErr := g.components["APIError"].(map[string]any)
	apiErr["properties"].(map[string]any)["error"].(map[string]any)["properties"].(map[string]any)["code"] =
		map[string]any{"type": "string", "enum": errorCodes}
	errorResponse := map[string]any{
		"description": "出错：message 是写给用户的中文说明，code 是错误类别，HTTP 状态由 code 决定。",
		"content":     map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/APIError"}}},
	}
	paths := map[string]map[string]any{}
	seen := map[string]bool{}
	var bodies []func()
	for _, rt := range routes {
		if !rt.API {
			continue
		}
		key := rt.String()
		doc, ok := apiDocs[key]
		if !ok {
			return nil, fmt.Errorf("route %s has no entry in apiDocs", key)
		}
		seen[key] = true
		op := map[string]any{"operationId": doc.id, "summary": rt.Action}
		if doc.about != "" {
			op["description"] = doc.about
		}
		if rt.Allow != nil {
			op["x-permission"] = permissionName(rt.Allow)
		}
		var params []any
		for _, m := range wildcardRE.FindAllStringSubmatch(rt.Pattern, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true,
				"schema": map[string]any{"type": "integer", "minimum": 1}})
		}
		for _, name := range doc.query {
			p, ok := apiQueryParams[name]
			if !ok {
				return nil, fmt.Errorf("route %s: no query parameter %q in apiQueryParams", key, name)
			}
			schema := p.schema
			if e, ok := apiParamEnums[key+" "+name]; ok {
				schema = map[string]any{"type": "string", "enum": e["enum"]}
			}
			params = append(params, map[string]any{"name": name, "in": "query", "schema": schema, "description": p.about})
		}
		if doc.upload {
			params = append(params,
				map[string]any{"name": "name", "in": "query", "schema": stringParam, "description": "原始请求体时的文件名（也可用 Content-Disposition 头）；格式由内容判断。"},
				map[string]any{"name": "year", "in": "query", "schema": integerParam, "description": "文件年度，通知中没有读到年份时给出。"})
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"multipart/form-data": map[string]any{"schema": map[string]any{"type": "object", "required": []string{"file"},
					"properties": map[string]any{"file": map[string]any{"type": "string", "contentMediaType": "application/octet-stream"},
						"year": map[string]any{"type": "integer"}}}},
				"application/octet-stream": map[string]any{"schema": map[string]any{"type": "string", "contentMediaType": "application/octet-stream"}},
			}, "description": fmt.Sprintf("通知文件：文本、Markdown、Word（.docx）、网页或 PDF，不超过 %d MB。", notice.MaxInput>>20)}
		}
		if doc.workbook {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"multipart/form-data": map[string]any{"schema": map[string]any{"type": "object", "required": []string{"file"},
					"properties": map[string]any{"file": map[string]any{"type": "string", "contentMediaType": export.XLSX}}}},
				export.XLSX: map[string]any{"schema": map[string]any{"type": "string", "contentMediaType": export.XLSX}},
			}, "description": fmt.Sprintf("从系统下载并填写的填报表（.xlsx），不超过 %d MB。", xlsx.MaxUpload>>20)}
		}
		if doc.evidence {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"multipart/form-data": map[string]any{"schema": map[string]any{"type": "object", "required": []string{web.EvidenceField},
					"properties": map[string]any{web.EvidenceField: map[string]any{"type": "array", "maxItems": web.MaxEvidenceFiles,
						"items": map[string]any{"type": "string", "contentMediaType": "application/octet-stream"}}}}},
			}, "description": fmt.Sprintf("佐证材料：每个不超过 %d MB（可由服务器设置），一次最多 %d 个。", cycle.MaxEvidenceSize>>20, web.MaxEvidenceFiles)}
		}
		if doc.body != nil {
			bodies = append(bodies, func() {
				op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
					"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(doc.body))}}}
			})
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		success := map[string]any{"description": "成功。"}
		switch {
		case doc.file:
			success["content"] = map[string]any{"application/octet-stream": map[string]any{"schema": map[string]any{"type": "string", "contentMediaType": "application/octet-stream"}}}
		case doc.resp != nil:
			success["content"] = map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(doc.resp))}}
		}
		responses := map[string]any{"4XX": errorResponse, "5XX": errorResponse}
		switch doc.status {
		case 0:
			responses["200"] = success
		case created201:
			responses["200"], responses["201"] = success, success
		default:
			responses[fmt.Sprint(doc.status)] = success
		}
		op["responses"] = responses
		path := rt.Pattern
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][strings.ToLower(rt.Method)] = op
	}
	// The request bodies' schemas come after all the answers', so that a
	// type both send is told apart by its name.
	g.answers, g.request = map[string]bool{}, true
	for name := range g.components {
		g.answers[name] = true
	}
	for _, body := range bodies {
		body()
	}
	for key := range apiDocs {
		if !seen[key] {
			return nil, fmt.Errorf("apiDocs describes %s, which is no API route", key)
		}
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "duban API",
			"version": "1",
			"description": "督办台账的 JSON 接口：与页面相同的服务、权限和错误。脚本在请求头中带 Authorization: Bearer <令牌>" +
				"（令牌在“账号”页面或 POST /api/v1/tokens 创建），无需 CSRF 令牌；已登录的浏览器可带会话 Cookie 调用，" +
				"修改类请求须在 X-CSRF-Token 头中给出页面的 CSRF 令牌。列表返回 {items, total, offset, limit}；时间为 RFC 3339。",
		},
		"security": []any{map[string]any{"bearer": []string{}}, map[string]any{"session": []string{}}},
		"paths":    paths,
		"components": map[string]any{
			"schemas": g.components,
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer", "description": "API 令牌（dbn_ 开头）。"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": web.SessionCookie, "description": "浏览器的会话；修改类请求还须带 X-CSRF-Token 头。"},
			},
		},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// TestOpenAPIDocument fails when openapi.json is not what the route table
// and the types give: a change to the API must show in the document.
func TestOpenAPIDocument(t *testing.T) {
	routes := routes(&web.Server{})
	got, err := generateOpenAPI(routes)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("openapi.json", got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(got, openAPIDocument) {
		t.Errorf("openapi.json is not what the routes and types give: run go test ./web/api -run TestOpenAPIDocument -update and review the diff")
	}
}

// TestOpenAPIRoutes checks the served document against the route table:
// every API route is documented with its method and path, every documented
// operation is a route, and every route under /api/ is an API route.
func TestOpenAPIRoutes(t *testing.T) {
	routes := routes(&web.Server{})
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi: got %q, want 3.1.0", doc.OpenAPI)
	}
	var documented, real []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	for _, rt := range routes {
		if strings.HasPrefix(rt.Pattern, "/api/") != rt.API {
			t.Errorf("route %s: API is %v, but its pattern says otherwise", &rt, rt.API)
		}
		if rt.API {
			real = append(real, rt.String())
		}
	}
	for _, r := range real {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(real, d) {
			t.Errorf("openapi.json documents %s, which is no route", d)
		}
	}
	if len(real) == 0 {
		t.Error("the route table has no API route")
	}
	ids := map[string]string{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			var o struct {
				OperationID string `json:"operationId"`
			}
			json.Unmarshal(op, &o)
			if prev, ok := ids[o.OperationID]; ok || o.OperationID == "" {
				t.Errorf("%s %s: operationId %q is empty or also %s's", method, path, o.OperationID, prev)
			}
			ids[o.OperationID] = method + " " + path
		}
	}
}
