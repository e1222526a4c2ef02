// The report files a run can write (`--report json,junit,html`): verify's and load's writers each
// render the three, so the names live below both.

export type ReportFormat = 'json' | 'junit' | 'html';
