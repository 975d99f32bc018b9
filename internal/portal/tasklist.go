package portal

import (
	"html/template"
	"strings"
)

// escaper escapes text for HTML element content and double-quoted attribute values.
var escaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

// taskListHTML renders the rows of a task list. A project page can hold hundreds of
// tasks, and html/template's escaping of each value through reflection cost more than
// the rest of the page, so the list is written here with every value passed through
// escaper (element text and double-quoted attributes only). Keep it that way: no value
// may reach b without escape.
func taskListHTML(rows []taskRow) template.HTML {
	if len(rows) == 0 {
		return `<p class="empty">No tasks shared yet.</p>`
	}

	var b strings.Builder
	b.Grow(len(rows) * 256)
	b.WriteString(`<ul class="tasks">`)
	for i := range rows {
		writeTaskRow(&b, &rows[i])
	}

	b.WriteString("\n</ul>")
	return template.HTML(b.String())
}

func writeTaskRow(b *strings.Builder, r *taskRow) {
	b.WriteString("\n<li class=\"task is-")
	escape(b, string(r.Status))
	b.WriteString(`"><a href="/t/`)
	escape(b, string(r.ID))
	b.WriteString(`">`)
	escape(b, r.Title)
	b.WriteString(`</a><span class="meta"><span class="status">`)
	escape(b, r.StatusLabel)
	b.WriteString(`</span>`)
	if r.Assignee != "" {
		b.WriteString(`<span class="who">for `)
		escape(b, r.Assignee)
		b.WriteString(`</span>`)
	}

	if r.Due != "" {
		b.WriteString(`<time datetime="`)
		escape(b, r.Due)
		b.WriteString(`"`)
		if r.Overdue {
			b.WriteString(` class="overdue"`)
		}

		b.WriteString(`>due `)
		escape(b, r.DueLabel)
		b.WriteString(`</time>`)
	}

	b.WriteString(`</span></li>`)
}

func escape(b *strings.Builder, s string) {
	_, _ = escaper.WriteString(b, s)
}
