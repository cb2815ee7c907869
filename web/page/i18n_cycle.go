package page

import (
	"fmt"
	"maps"
)

// catalog is the pages' message catalog: the ledger's (english) joined with
// the reporting cycle's (cycleEnglish), which a message may not be in
// both of.
func catalog() map[string]string {
	out := maps.Clone(english)
	for _, part := range []map[string]string{cycleEnglish} {
		for msg, en := range part {
			if _, ok := out[msg]; ok {
				panic(fmt.Sprintf("page: message %q is in two catalogs", msg)) // a programming error the catalog test finds
			}
			out[msg] = en
		}
	}
	return out
}

// cycleEnglish is the catalog of the reporting cycle's pages: periods and
// the calendar, the to-do list, the report form, reports and their review,
// requests to close tasks, and the lights.
var cycleEnglish = map[string]string{
	// Navigation.
	"待报":   "To do",
	"报告审核": "Review",

	// States and kinds the domain names.
	"未开始":   "Not started",
	"填报中":   "Open",
	"已关闭":   "Closed",
	"分项报告":  "Part report",
	"任务报告":  "Task report",
	"已报送":   "Handed in",
	"已退回":   "Returned",
	"已重新报送": "Handed in again",
	"已审核通过": "Accepted",
	"已办结":   "Closed",
	"未同意办结": "Closure declined",
	"退回":    "Returned",
	"附件":    "Files",
	"退回理由":  "Reason for return",

	// A plan's cycle.
	"%d 年填报周期": "Reporting in %d",
	"%d 年的法定节假日和调休尚未录入，截止日只避开了周末。": "The public holidays of %d are not entered yet: due dates avoid weekends only.",
	"录入 %d 年节假日": "Enter the holidays of %d",
	"填报周期":       "Periods",
	"%d 个周期的截止日遇节假日或周末，已顺延至下一个工作日，见“截止日”一栏。": "The due dates of %d periods fell on a holiday or a weekend and moved to the next working day: see the due date column.",
	"周期":        "Period",
	"起止":        "From – to",
	"截止日":       "Due",
	"重新开启 %d 次": "reopened %d times",
	"开启填报":      "Open",
	"关闭后各单位不能再修改本期报告。确定关闭吗？": "Once closed, units can no longer change this period's reports. Close it?",
	"关闭":   "Close",
	"重新开启": "Reopen",
	"重新开启的理由（记入日志）":     "Why reopen (kept in the log)",
	"调整截止日":             "Move the due date",
	"新的截止日":             "New due date",
	"还没有填报周期。":          "No periods yet.",
	"按报送周期生成 %d 年的填报周期": "Make the periods of %d from the schedule",
	"报送周期和状态灯阈值":        "Schedule and light thresholds",
	"报送周期":              "Schedule",
	"每月":                "Monthly",
	"每季度":               "Quarterly",
	"自定义日期":             "Dates of our own",
	"每月（季度末月）报送日":       "Due day of the month (of the quarter's last month)",
	"在下一个月报送":           "Due in the next month",
	"自定义报送日期（每行一个，如 2022-07-25；仅“自定义日期”时使用）": "Due dates of our own (one a line, like 2022-07-25; for “Dates of our own” only)",
	"序时进度起算日":                            "Time line starts on",
	"落后几个百分点为进度滞后":                       "Points behind time that make a task behind",
	"落后几个百分点为严重滞后":                       "Points behind time that make a task seriously behind",
	"逾期几天后为未报送":                          "Days overdue before a report counts as missing",
	"提醒日（相对截止日的天数，负数为之前，如 -3, -1, 1, 3）": "Reminder days (relative to the due date, negative before: -3, -1, 1, 3)",
	"修改报送周期后，尚未开启的周期将按新设置重新生成；已开启和已关闭的周期不变。": "A new schedule makes the periods not yet opened again; periods opened or closed stay.",
	"保存设置":       "Save settings",
	"进度滞后":       "Behind",
	"严重滞后":       "Seriously behind",
	"落后 %d 个百分点": "%d points behind",
	"填报设置已保存；尚未开始的周期已按新设置重新生成。": "Settings saved; the periods not yet opened follow them.",
	"已生成 %d 个填报周期。":             "%d periods made.",
	"%s：%s。":                    "%s: %s.",

	// The calendar.
	"%d 年节假日": "Holidays of %d",
	"查看":      "Show",
	"程序中没有 %d 年的法定节假日安排，截止日只避开了周末。请按国务院办公厅的放假通知，在下面录入放假日期和调休上班的日期。": "The program does not know the public holidays of %d, so due dates avoid weekends only. Enter the days off and the make-up working days from the State Council's notice below.",
	"程序中没有 %d 年的法定节假日安排；截止日按督查室录入的日期计算。":                            "The program does not know the public holidays of %d; due dates follow the days the office entered.",
	"依据：%s":      "Source: %s",
	"督查室的调整":     "The office's changes",
	"日期":         "Date",
	"安排":         "Arrangement",
	"说明":         "Note",
	"设置人":        "Set by",
	"上班":         "Working day",
	"放假":         "Day off",
	"取消调整":       "Undo",
	"没有调整。":      "No changes.",
	"上班（调休）":     "Working day (make-up)",
	"如：国庆节、调休上班": "like: National Day, make-up working day",
	"法定节假日和调休":   "Public holidays and make-up days",
	"节日":         "Holiday",
	"休息日":        "a day off",
	"工作日":        "a working day",
	"已将 %s 设为%s（%s）；未关闭的填报周期的截止日已随之调整。": "%s is now %s (%s); the due dates of periods not closed follow.",
	"已取消对 %s 的调整。": "The change to %s is undone.",

	// The to-do list.
	"待报事项":       "To do",
	"截止日：%s":     "Due: %s",
	"尚有 %d 项未报送": "%d reports owed",
	"已全部报送":      "All handed in",
	"退回理由：%s":    "Returned: %s",
	"已逾期 %d 天":   "%d days overdue",
	"今天截止":       "Due today",
	"还有 %d 天":    "%d days left",
	"目前没有开放填报的周期，或本单位在其中没有待报事项。": "No period is open, or the unit owes nothing in it.",
	"请选择单位": "Choose a unit",
	"请选择一个单位，查看它的待报事项。": "Choose a unit to see what it owes.",
	"未填报": "Not begun",

	// The report form.
	"填报：任务 %s":                   "Report: task %s",
	"督查室退回了这份报告：%s":              "The office returned this report: %s",
	"最新保存的内容（第 %d 版，%s 于 %s 保存）": "What was saved meanwhile (version %d, by %s at %s)",
	"下面的表单仍是您填写的内容；核对后再次提交将以您的内容为准。": "The form below still holds what you typed; check it and send it again to save yours.",
	"完成进度":  "Completion",
	"实际完成":  "Actual",
	"存在问题":  "Problems",
	"下一步打算": "Next steps",
	"本期做了什么、达到什么程度":   "What was done this period, and how far it got",
	"任务总体完成进度（%）":     "Completion of the whole task (%)",
	"本单位承担部分的完成进度（%）": "Completion of the unit's part (%)",
	"量化指标的实际完成":       "Actuals of the targets",
	"目标 %s":           "target %s",
	"如 %s":            "like %s",
	"各单位：":            "Units: ",
	"合计 %s":           "total %s",
	"佐证材料":            "Evidence",
	"每个附件不超过 %s，一次最多 %d 个；可上传 PDF、OFD、图片和 Office 文档。": "Each file up to %s, at most %d at a time: PDF, OFD, images and office documents.",
	"保存草稿": "Save draft",
	"重新报送": "Hand in again",
	"各单位分项报告（已报送 %d / %d）": "The units' parts (%d of %d handed in)",
	"完成 %d%%": "%d%% done",
	"已保存%s的草稿（第 %d 版）；报送前可继续修改。": "Draft of %s saved (version %d); you may change it until you hand it in.",
	"已报送%s。":      "Handed in %s.",
	"任务 %s 的%s%s": "task %s: %s %s",
	"实际完成：%s":     "Actual: %s",

	// A report and its versions.
	"报告":              "Report",
	"报送于 %s":          "Handed in at %s",
	"逾期 %d 天":         "%d days late",
	"未填写":             "not given",
	"退回理由（退回时必填）":     "Reason for return (needed to return)",
	"审核通过":            "Accept",
	"退回修改":            "Return",
	"各单位分项报告":         "The units' parts",
	"版本":              "Versions",
	"操作":              "Action",
	"比较：第 %d 版":       "Compare: version %d",
	"比较所选的两个版本":       "Compare the two chosen",
	"比较第 %d 版和第 %d 版": "Version %d against version %d",
	"（空）":             "(empty)",
	"未列出的内容两个版本相同。": "What is not listed is the same in both.",
	"两个版本的内容相同。":    "The two versions say the same.",
	"报送":            "Handed in",

	// The review queue.
	"%d 份任务报告待审核": "%d task reports to review",
	"全选":          "Choose all",
	"选择任务 %s 的报告": "Choose the report on task %s",
	"退回理由（退回时必填，对所选报告都适用）":       "Reason for return (needed to return; for every report chosen)",
	"审核通过所选报告":                   "Accept those chosen",
	"退回所选报告":                     "Return those chosen",
	"没有待审核的报告。":                  "No report waits for review.",
	"请先勾选要审核的报告。":                "Choose the reports to review first.",
	"退回报告请填写理由（至少 2 个字），以便单位修改。": "Say why the reports are returned (2 characters at least), so that the units can revise them.",
	"报告 #%d：%s":                  "report #%d: %s",
	"已审核通过 %d 份报告。":              "%d reports accepted.",
	"已退回 %d 份报告。":                "%d reports returned.",
	"未处理 %d 份：":                  "%d not done: ",

	// Requests to close tasks.
	"办结申请":           "Requests to close",
	"办结说明":           "Note",
	"同意办结":           "Close the task",
	"不同意的理由":         "Why not",
	"不同意":            "Decline",
	"没有待审核的办结申请。":    "No request to close waits.",
	"申请办结":           "Ask to close",
	"办结说明：任务完成的情况":   "Note: how the task was done",
	"未同意的理由：%s":      "Declined: %s",
	"已申请办结，等待督查室审核。": "Asked to close; the office decides.",
	"任务已办结。":         "The task is closed.",
	"已退回办结申请。":       "The request to close was declined.",

	// A task's cycle.
	"进展和状态":   "Progress and status",
	"尚未开始填报。": "No reporting yet.",
	"填报本期进展":  "Report this period",
	"修改本期报告":  "Change this period's report",
	"查看本期报告":  "See this period's report",
	"各期状态":    "By period",
	"完成 / 序时": "Done / expected",
}
