/**
 * A structural check of a SARIF 2.1.0 log: the properties the OASIS standard requires, and the
 * shapes code-scanning uploads reject when wrong. Returns the problems found (empty when valid).
 */
export function sarifProblems(log: unknown): string[] {
  const p: string[] = [];
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!obj(log)) return ['the log is not an object'];
  if (log.version !== '2.1.0') p.push('version must be "2.1.0"');
  if (typeof log.$schema !== 'string' || !/sarif.*2\.1\.0.*\.json$/.test(log.$schema)) p.push('$schema must name the 2.1.0 schema');
  if (!Array.isArray(log.runs) || log.runs.length === 0) return [...p, 'runs must be a non-empty array'];
  log.runs.forEach((run: unknown, ri) => {
    if (!obj(run)) return p.push(`runs[${ri}] is not an object`);
    const driver = obj(run.tool) && obj(run.tool.driver) ? run.tool.driver : undefined;
    if (!driver || typeof driver.name !== 'string' || driver.name === '') return p.push(`runs[${ri}].tool.driver.name is required`);
    const rules = Array.isArray(driver.rules) ? driver.rules : [];
    const ruleIds = new Set(rules.map((r: unknown) => (obj(r) ? r.id : undefined)));
    if (ruleIds.has(undefined)) p.push(`runs[${ri}].tool.driver.rules[] need an id`);
    if (!Array.isArray(run.results)) return p.push(`runs[${ri}].results must be an array`);
    run.results.forEach((res: unknown, i) => {
      const at = `runs[${ri}].results[${i}]`;
      if (!obj(res)) return p.push(`${at} is not an object`);
      if (typeof res.ruleId !== 'string' || !ruleIds.has(res.ruleId)) p.push(`${at}.ruleId must name a rule of the driver`);
      if (!['none', 'note', 'warning', 'error'].includes(res.level as string)) p.push(`${at}.level must be none, note, warning or error`);
      if (!obj(res.message) || typeof res.message.text !== 'string' || res.message.text === '') p.push(`${at}.message.text is required`);
      if (!Array.isArray(res.locations) || res.locations.length === 0) return p.push(`${at}.locations must be a non-empty array`);
      res.locations.forEach((loc: unknown, li) => {
        const pl = obj(loc) && obj(loc.physicalLocation) ? loc.physicalLocation : undefined;
        const al = pl && obj(pl.artifactLocation) ? pl.artifactLocation : undefined;
        if (!al || typeof al.uri !== 'string' || al.uri === '' || /\s/.test(al.uri) || /^\//.test(al.uri)) p.push(`${at}.locations[${li}].physicalLocation.artifactLocation.uri must be a relative URI`);
        if (pl && pl.region !== undefined) {
          const rg = pl.region;
          if (!obj(rg) || !Number.isInteger(rg.startLine) || (rg.startLine as number) < 1) p.push(`${at}.locations[${li}] region.startLine must be an integer >= 1`);
          else if (rg.endLine !== undefined && (!Number.isInteger(rg.endLine) || (rg.endLine as number) < (rg.startLine as number))) p.push(`${at}.locations[${li}] region.endLine must be >= startLine`);
        }
      });
    });
  });
  return p;
}
