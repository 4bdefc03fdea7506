/** 工作台: figures as of this month's end, the change from last month, a 12-month trend and the to-do list. */
import type { Dashboard, OpResult, TodoItem } from '../../../shared/api.ts';
import { fenText } from '../grid.ts';
import { useQuery } from '../api.ts';
import { href } from '../route.ts';

const TODO_KINDS: Record<TodoItem['kind'], string> = {
  overdue: '识别超期',
  notice: '公示',
  visit: '应走访',
  agreement: '协议到期',
  age: '年龄上限',
  payroll: '补贴未锁定',
};

export function DashboardPage() {
  const { data, error, loading } = useQuery('dashboard.get', {});
  const checks = useQuery('rules.run', {});
  if (error)
    return (
      <div className="form-error" role="alert">
        {error}
      </div>
    );
  if (!data) return <div className="loading">{loading ? '正在统计…' : ''}</div>;
  return (
    <div className="page">
      <header className="page-head">
        <h1>工作台</h1>
        <span className="muted">统计截至 {data.stats.monitoring.asOf}</span>
      </header>
      {data.backup.remind ? <BackupReminder lastCopyAt={data.backup.lastCopyAt} /> : null}
      <SummaryCards data={data} checks={checks.data} />
      <div className="two-col">
        <section className="panel" aria-label="待办事项">
          <h2>
            待办事项 <span className="badge">{data.todo.length}</span>
          </h2>
          <TodoList items={data.todo} />
        </section>
        <section className="panel">
          <h2>近12个月监测对象</h2>
          <Trend data={data} />
          <h2>各村监测对象</h2>
          <VillageTable rows={data.byVillage} />
        </section>
      </div>
    </div>
  );
}

/** No copy of the ledger outside this PC for 30 days (or ever): a stolen or dead PC takes its backups with it. */
function BackupReminder({ lastCopyAt }: { lastCopyAt: string | null }) {
  return (
    <div className="form-error" role="alert" aria-label="备份提醒">
      {lastCopyAt
        ? `已超过30天没有把备份复制到本机以外（上次：${new Date(lastCopyAt).toLocaleDateString('zh-CN')}）。`
        : '还没有把备份复制到本机以外（U盘）。'}
      电脑损坏或被盗时，本机上的备份会一起丢失。<a href={href('backups')}>去备份与恢复</a>
    </div>
  );
}

/** This month's figures as cards, with the data-check counts linking to the checks page. */
function SummaryCards({ data, checks }: { data: Dashboard; checks: OpResult<'rules.run'> | null }) {
  const s = data.stats;
  const p = data.previous;
  const delta = (a: number, b: number) => (a === b ? '与上月持平' : a > b ? `比上月 +${a - b}` : `比上月 −${b - a}`);
  return (
    <section className="cards" aria-label="本月概况">
      <Card
        label="监测对象（户）"
        value={s.monitoring.current}
        note={delta(s.monitoring.current, p.monitoring.current)}
      />
      <Card label="脱贫不稳定户" value={s.monitoring.byCategory['脱贫不稳定户']} />
      <Card label="边缘易致贫户" value={s.monitoring.byCategory['边缘易致贫户']} />
      <Card label="突发严重困难户" value={s.monitoring.byCategory['突发严重困难户']} />
      <Card label="本月新识别" value={s.monitoring.identifiedInMonth} />
      <Card label="本月风险消除" value={s.monitoring.eliminatedInMonth} />
      <Card label="公益岗位在岗人数" value={s.posts.holdersInMonth} note={`岗位 ${s.posts.posts} 个`} />
      <Card label="本月岗位补贴（元）" value={fenText(s.posts.subsidyFenInMonth)} />
      <a className="card link-card" href={href('checks')} aria-label="数据校验">
        <div className="card-label">数据校验（本月）</div>
        <div className="card-value" data-testid="check-counts">
          {checks ? `${checks.errors} / ${checks.warnings}` : '…'}
        </div>
        <div className="card-note">错误 / 提示，点击查看</div>
      </a>
      <Card
        label="搬迁劳动力就业"
        value={`${s.relocation.employed}/${s.relocation.labour}`}
        note={`安置点 ${s.relocation.sites} 个，搬迁 ${s.relocation.households} 户`}
      />
    </section>
  );
}

function VillageTable({ rows }: { rows: Dashboard['byVillage'] }) {
  return (
    <table className="table" aria-label="各村监测对象">
      <thead>
        <tr>
          <th>行政村</th>
          <th>监测户</th>
          <th>脱贫不稳定户</th>
          <th>边缘易致贫户</th>
          <th>突发严重困难户</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((v) => (
          <tr key={v.villageId}>
            <td>
              <a href={href('cases', { village: v.villageId })}>{v.villageName}</a>
            </td>
            <td className="num">{v.current}</td>
            <td className="num">{v.byCategory['脱贫不稳定户'] ?? 0}</td>
            <td className="num">{v.byCategory['边缘易致贫户'] ?? 0}</td>
            <td className="num">{v.byCategory['突发严重困难户'] ?? 0}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Card({ label, value, note }: { label: string; value: number | string; note?: string }) {
  return (
    <div className="card">
      <div className="card-label">{label}</div>
      <div className="card-value">{value}</div>
      {note ? <div className="card-note">{note}</div> : null}
    </div>
  );
}

function linkOf(item: TodoItem): string {
  if (item.entity === 'case') return href('cases', { id: item.id ?? 0 });
  if (item.entity === 'placement') return href('posts', { tab: 'holders', id: item.id ?? 0 });
  return href('posts', { tab: 'attendance', month: item.ref ?? '' });
}

function TodoList({ items }: { items: TodoItem[] }) {
  if (items.length === 0) return <p className="muted">暂无待办事项。</p>;
  const counts = Object.entries(TODO_KINDS)
    .map(([k, label]) => [label, items.filter((i) => i.kind === k).length] as const)
    .filter(([, n]) => n > 0);
  return (
    <>
      <p className="todo-counts">{counts.map(([label, n]) => `${label} ${n}`).join(' · ')}</p>
      <ul className="todo" aria-label="待办列表">
        {items.slice(0, 100).map((i, n) => (
          <li key={n} className={`todo-${i.kind}`}>
            <span className="tag">{TODO_KINDS[i.kind]}</span>
            <a href={linkOf(i)}>{i.title}</a>
            <span className="muted">{i.detail}</span>
          </li>
        ))}
      </ul>
      {items.length > 100 ? <p className="muted">另有 {items.length - 100} 项未列出。</p> : null}
    </>
  );
}

/** A small SVG chart: monitored households (line) and monthly identified / eliminated (bars). */
function Trend({ data }: { data: Dashboard }) {
  const w = 560,
    h = 180,
    pad = 28;
  const t = data.trend;
  const max = Math.max(1, ...t.map((p) => p.current)) * 1.1;
  const x = (i: number) => pad + (i * (w - 2 * pad)) / Math.max(1, t.length - 1);
  const y = (v: number) => h - pad - (v * (h - 2 * pad)) / max;
  const maxBar = Math.max(1, ...t.map((p) => Math.max(p.identified, p.eliminated)));
  const yb = (v: number) => h - pad - (v * (h - 2 * pad) * 0.45) / maxBar;
  const line = t.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.current).toFixed(1)}`).join(' ');
  return (
    <svg className="trend" viewBox={`0 0 ${w} ${h}`} role="img" aria-label="近12个月监测对象趋势">
      <line x1={pad} y1={h - pad} x2={w - pad} y2={h - pad} stroke="#bbb" />
      {t.map((p, i) => (
        <g key={p.month}>
          <rect x={x(i) - 7} y={yb(p.identified)} width={6} height={h - pad - yb(p.identified)} fill="#d9822b">
            <title>{`${p.month} 新识别 ${p.identified}`}</title>
          </rect>
          <rect x={x(i) + 1} y={yb(p.eliminated)} width={6} height={h - pad - yb(p.eliminated)} fill="#3c8d5a">
            <title>{`${p.month} 风险消除 ${p.eliminated}`}</title>
          </rect>
          <text x={x(i)} y={h - 8} fontSize="10" textAnchor="middle" fill="#666">
            {p.month.slice(2)}
          </text>
        </g>
      ))}
      <path d={line} fill="none" stroke="#b4232a" strokeWidth={2} />
      {t.map((p, i) => (
        <circle key={p.month} cx={x(i)} cy={y(p.current)} r={3} fill="#b4232a">
          <title>{`${p.month} 监测户 ${p.current}`}</title>
        </circle>
      ))}
      <text x={pad} y={14} fontSize="11" fill="#b4232a">
        — 监测户数
      </text>
      <text x={pad + 90} y={14} fontSize="11" fill="#d9822b">
        ■ 新识别
      </text>
      <text x={pad + 160} y={14} fontSize="11" fill="#3c8d5a">
        ■ 风险消除
      </text>
    </svg>
  );
}
