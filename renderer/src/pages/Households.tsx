/** 农户与人口: the household grid (paged through the core), its detail with members, and the person grid. */
import type { ColDef } from 'ag-grid-community';
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import type { HouseholdRow, OpResult, PersonRow } from '../../../shared/api.ts';
import * as C from '../../../shared/catalogs.ts';
import { maskIdNumber } from '../../../shared/idnumber.ts';
import { HouseholdList, PersonList } from '../../../shared/schemas.ts';
import { call, useQuery } from '../api.ts';
import { EmploymentSheet } from '../components/EmploymentSheet.tsx';
import { FormDialog, useDialog } from '../components/Form.tsx';
import { Sheet, type FetchArgs } from '../components/Sheet.tsx';
import {
  allowedSort,
  FilterSelect,
  Info,
  Panel,
  SearchBox,
  Tabs,
  useVillages,
  villageOptions,
} from '../components/ui.tsx';
import {
  caseCreateFields,
  householdFields,
  personCreateFields,
  statusChangeFields,
  withRisks,
  type CaseForm,
  type HouseholdForm,
  type PersonForm,
  type StatusChangeForm,
} from '../forms.ts';
import { column } from '../grid.ts';
import { go, href, type Route } from '../route.ts';

const HH_SORT = HouseholdList.shape.sort.unwrap().element.shape.field.options;
const PERSON_SORT = PersonList.shape.sort.unwrap().element.shape.field.options;

type HouseholdData = OpResult<'household.get'>;
type VillageOption = ReturnType<typeof villageOptions>[number];
type Close = (saved: boolean) => void;

export function HouseholdsPage({ route }: { route: Route }) {
  const tab = route.params.get('tab') ?? 'households';
  return (
    <div className="page">
      <header className="page-head">
        <h1>农户与人口</h1>
        <Tabs
          tabs={[
            { key: 'households', label: '农户' },
            { key: 'persons', label: '人口' },
          ]}
          active={tab}
          onChange={(t) => go('households', { tab: t })}
        />
      </header>
      {tab === 'persons' ? <PersonsTab /> : <HouseholdsTab selectedId={Number(route.params.get('id')) || null} />}
    </div>
  );
}

function HouseholdsTab({ selectedId }: { selectedId: number | null }) {
  const villages = useVillages();
  const [village, setVillage] = useState('');
  const [hhType, setHhType] = useState('');
  const [quick, setQuick] = useState('');
  const [version, setVersion] = useState(0);
  const { dialog, open, close } = useDialog();
  const vOpts = villageOptions(villages);
  const columns = useMemo(householdColumns, []);

  const fetchPage = useCallback(
    ({ offset, limit, sort }: FetchArgs) =>
      call('household.list', {
        offset,
        limit,
        quick: quick || undefined,
        sort: allowedSort(sort, HH_SORT),
        filter: { villageId: village ? Number(village) : undefined, hhType: hhType || undefined },
      }),
    [quick, village, hhType],
  );

  const create = () =>
    open(
      <NewHouseholdDialog
        villages={vOpts}
        village={village}
        onClose={(saved) => {
          close();
          if (saved) setVersion((v) => v + 1);
        }}
      />,
    );

  return (
    <>
      <div className="toolbar">
        <FilterSelect label="行政村" value={village} options={vOpts} onChange={setVillage} />
        <FilterSelect label="户类型" value={hhType} options={C.HOUSEHOLD_TYPES} onChange={setHhType} />
        <SearchBox value={quick} onChange={setQuick} placeholder="查找户主、户编号、身份证号" />
        <span className="spacer" />
        <button type="button" className="primary" onClick={create}>
          新增农户
        </button>
      </div>
      <Sheet<HouseholdRow>
        testId="households-grid"
        layoutKey="households"
        columns={columns}
        fetchPage={fetchPage}
        fetchKey={`${quick}|${village}|${hhType}|${version}`}
        height={320}
        onSelect={(r) => r && go('households', { id: r.id })}
        onSave={async (row, field) =>
          call('household.update', { id: row.id, [field]: (row as unknown as Record<string, unknown>)[field] }).then(
            () => undefined,
          )
        }
      />
      {selectedId ? (
        <HouseholdDetail id={selectedId} onChanged={() => setVersion((v) => v + 1)} />
      ) : (
        <p className="muted hint">选择一户查看家庭成员和帮扶记录（双击单元格或直接输入即可修改）。</p>
      )}
      {dialog}
    </>
  );
}

function householdColumns(): ColDef<HouseholdRow>[] {
  return [
    column('hhNo', '户编号', { editable: true, width: 150 }),
    column('villageName', '行政村', { width: 100 }),
    column('headName', '户主', { width: 90 }),
    column('headIdNumber', '户主身份证号', {
      width: 180,
      sortable: false,
      valueFormatter: (p) => (p.value ? maskIdNumber(String(p.value)) : ''),
    }),
    column('members', '人口', { kind: 'number', width: 70 }),
    column('hhType', '户类型', { kind: 'select', options: C.HOUSEHOLD_TYPES, editable: true, width: 120 }),
    column('monitoringCategory', '监测类别', { width: 120, sortable: false }),
    column('caseStatus', '监测状态', { width: 90, sortable: false }),
    column('phone', '联系电话', { editable: true, width: 130, sortable: false }),
    column('address', '家庭住址', { editable: true, flex: 1, minWidth: 160, sortable: false }),
  ];
}

function NewHouseholdDialog({
  villages,
  village,
  onClose,
}: {
  villages: VillageOption[];
  village: string;
  onClose: Close;
}) {
  return (
    <FormDialog<HouseholdForm>
      title="新增农户"
      fields={householdFields(villages)}
      initial={{ hhType: '一般农户', villageId: village || undefined }}
      onSubmit={async (input) => {
        const h = await call('household.create', input);
        go('households', { id: h.id });
      }}
      onClose={onClose}
    />
  );
}

function HouseholdDetail({ id, onChanged }: { id: number; onChanged: () => void }) {
  const { data, error, reload } = useQuery('household.get', { id });
  const villages = useVillages();
  const { dialog, open, close } = useDialog();
  const [member, setMember] = useState<PersonRow | null>(null);

  if (error)
    return (
      <div className="form-error" role="alert">
        {error}
      </div>
    );
  if (!data) return <div className="loading">正在读取…</div>;
  const h = data.household;
  const after = (then: () => void) => (saved: boolean) => {
    close();
    if (saved) then();
  };
  const refresh = () => {
    void reload();
    onChanged();
  };

  return (
    <Panel
      label="农户详情"
      title={`${h.villageName} · ${h.headName ?? '（未登记户主）'}户`}
      actions={
        <HouseholdActions
          detail={data}
          member={member}
          villages={villageOptions(villages)}
          open={open}
          onSaved={after(refresh)}
          onCaseSaved={after(onChanged)}
        />
      }
    >
      <Info
        items={[
          ['户编号', h.hhNo],
          ['户类型', h.hhType],
          ['人口数', h.members],
          ['联系电话', h.phone],
          ['家庭住址', h.address],
          ['监测', h.monitoringCategory ? `${h.monitoringCategory}（${h.caseStatus}）` : '非监测对象'],
          ['安置点', data.relocation?.siteName ?? null],
        ]}
      />
      <MembersSheet members={data.members} onSelect={setMember} />
      <MembersWork householdId={h.id} />
      {data.cases.length ? (
        <p className="links">
          监测记录：
          {data.cases.map((c) => (
            <a key={c.id} href={href('cases', { id: c.id })}>{`${c.category} · ${c.status} · 线索 ${c.clueDate}`}</a>
          ))}
        </p>
      ) : null}
      {dialog}
    </Panel>
  );
}

/** The members' 务工 records (from the 务工监测 import or entered for relocated labour), editable in place. */
function MembersWork({ householdId }: { householdId: number }) {
  const work = useQuery('employment.list', { filter: { householdId }, limit: 500 });
  if (!work.data?.rows.length) return null;
  return (
    <>
      <h3>务工记录</h3>
      <EmploymentSheet testId="household-work" rows={work.data.rows} />
    </>
  );
}

/** The household's buttons, each opening its dialog; `onSaved` closes and refreshes, `onCaseSaved` for a new case. */
function HouseholdActions({
  detail,
  member,
  villages,
  open,
  onSaved,
  onCaseSaved,
}: {
  detail: HouseholdData;
  member: PersonRow | null;
  villages: VillageOption[];
  open: (node: ReactNode) => void;
  onSaved: Close;
  onCaseSaved: Close;
}) {
  const h = detail.household;
  return (
    <>
      <button
        type="button"
        onClick={() => open(<EditHouseholdDialog detail={detail} villages={villages} onClose={onSaved} />)}
      >
        编辑农户
      </button>
      <button type="button" onClick={() => open(<AddMemberDialog detail={detail} onClose={onSaved} />)}>
        添加成员
      </button>
      <button
        type="button"
        disabled={!member || !!member.leftOn}
        onClick={() => member && open(<MemberStatusDialog member={member} onClose={onSaved} />)}
      >
        成员变动
      </button>
      <button type="button" onClick={() => open(<NewCaseDialog household={h} onClose={onCaseSaved} />)}>
        登记监测线索
      </button>
    </>
  );
}

function EditHouseholdDialog({
  detail,
  villages,
  onClose,
}: {
  detail: HouseholdData;
  villages: VillageOption[];
  onClose: Close;
}) {
  const h = detail.household;
  return (
    <FormDialog<HouseholdForm>
      title="编辑农户"
      fields={householdFields(villages)}
      initial={{
        ...h,
        exitedPoverty: !!h.exitedPoverty,
      }}
      onSubmit={(input) => call('household.update', { ...input, id: h.id })}
      onClose={onClose}
    />
  );
}

function AddMemberDialog({ detail, onClose }: { detail: HouseholdData; onClose: Close }) {
  const h = detail.household;
  return (
    <FormDialog<PersonForm>
      title={`添加家庭成员（${h.headName ?? '新户'}）`}
      fields={personCreateFields}
      initial={{ relation: detail.members.length ? undefined : '户主', medResident: 1 }}
      onSubmit={(input) => call('person.create', { ...input, householdId: h.id })}
      onClose={onClose}
    />
  );
}

function MemberStatusDialog({ member, onClose }: { member: PersonRow; onClose: Close }) {
  return (
    <FormDialog<StatusChangeForm>
      title={`成员变动：${member.name}`}
      fields={statusChangeFields}
      onSubmit={(input) => call('person.changeStatus', { ...input, personId: member.id })}
      onClose={onClose}
    />
  );
}

function NewCaseDialog({ household: h, onClose }: { household: HouseholdData['household']; onClose: Close }) {
  return (
    <FormDialog<CaseForm>
      title={`登记监测线索：${h.headName ?? ''}户`}
      fields={caseCreateFields}
      onSubmit={async (input) => {
        const c = await call('case.create', { ...withRisks(input), householdId: h.id });
        go('cases', { id: c.id });
      }}
      onClose={onClose}
    />
  );
}

/** The household's members, edited in place like the other grids. */
function MembersSheet({ members, onSelect }: { members: PersonRow[]; onSelect: (row: PersonRow | null) => void }) {
  const columns = useMemo(memberColumns, []);
  return (
    <Sheet<PersonRow>
      testId="members-grid"
      layoutKey="members"
      columns={columns}
      rows={members}
      height={Math.min(80 + members.length * 32, 300)}
      onSelect={onSelect}
      onSave={async (row, field) => {
        await call('person.update', {
          id: row.id,
          [field]: (row as unknown as Record<string, unknown>)[field],
        });
      }}
    />
  );
}

function memberColumns(): ColDef<PersonRow>[] {
  return [
    column('name', '姓名', { editable: true, width: 90, pinned: 'left' }),
    column('idNumber', '身份证号', { editable: true, width: 180 }),
    column('relation', '与户主关系', { kind: 'select', options: C.RELATIONS, editable: true, width: 110 }),
    column('gender', '性别', { width: 60 }),
    column('age', '年龄', { kind: 'number', width: 60 }),
    column('education', '文化程度', {
      kind: 'select',
      options: C.EDUCATION_LEVELS,
      nullable: true,
      editable: true,
      width: 110,
    }),
    column('schoolStatus', '在校生状况', {
      kind: 'select',
      options: C.SCHOOL_STATUSES,
      nullable: true,
      editable: true,
      width: 130,
    }),
    column('health', '健康状况', {
      kind: 'select',
      options: C.HEALTH_STATUSES,
      nullable: true,
      editable: true,
      width: 110,
    }),
    column('labourCapacity', '劳动技能', {
      kind: 'select',
      options: C.LABOUR_CAPACITIES,
      nullable: true,
      editable: true,
      width: 140,
    }),
    column('workMonths', '务工月数', { kind: 'number', editable: true, width: 90 }),
    column('phone', '联系电话', { editable: true, width: 130 }),
    column('leftOn', '减少日期', { width: 110 }),
    column('leftReason', '减少原因', { width: 90 }),
  ];
}

function PersonsTab() {
  const villages = useVillages();
  const [village, setVillage] = useState('');
  const [labour, setLabour] = useState('');
  const [quick, setQuick] = useState('');
  const [includeLeft, setIncludeLeft] = useState(false);
  const columns = useMemo(personColumns, []);
  const fetchPage = useCallback(
    ({ offset, limit, sort }: FetchArgs) =>
      call('person.list', {
        offset,
        limit,
        quick: quick || undefined,
        sort: allowedSort(sort, PERSON_SORT),
        filter: { villageId: village ? Number(village) : undefined, labourCapacity: labour || undefined, includeLeft },
      }),
    [quick, village, labour, includeLeft],
  );
  return (
    <>
      <div className="toolbar">
        <FilterSelect label="行政村" value={village} options={villageOptions(villages)} onChange={setVillage} />
        <FilterSelect label="劳动技能" value={labour} options={C.LABOUR_CAPACITIES} onChange={setLabour} />
        <label className="filter">
          <input type="checkbox" checked={includeLeft} onChange={(e) => setIncludeLeft(e.target.checked)} />
          含已减少人员
        </label>
        <SearchBox value={quick} onChange={setQuick} placeholder="查找姓名、身份证号" />
      </div>
      <Sheet<PersonRow>
        testId="persons-grid"
        layoutKey="persons"
        columns={columns}
        fetchPage={fetchPage}
        fetchKey={`${quick}|${village}|${labour}|${includeLeft}`}
        height="calc(100vh - 190px)"
        onOpen={(r) => go('households', { id: r.householdId })}
        onSave={async (row, field) => {
          await call('person.update', {
            id: row.id,
            [field]: (row as unknown as Record<string, unknown>)[field],
          });
        }}
      />
    </>
  );
}

function personColumns(): ColDef<PersonRow>[] {
  return [
    column('name', '姓名', { editable: true, width: 90, pinned: 'left' }),
    column('idNumber', '身份证号', { width: 180 }),
    column('villageName', '行政村', { width: 100 }),
    column('hhNo', '户编号', { width: 150 }),
    column('relation', '与户主关系', { width: 100 }),
    column('gender', '性别', { width: 60, sortable: false }),
    column('birthDate', '出生日期', { width: 110 }),
    column('age', '年龄', { kind: 'number', width: 60, sortable: false }),
    column('education', '文化程度', {
      kind: 'select',
      options: C.EDUCATION_LEVELS,
      nullable: true,
      editable: true,
      width: 110,
      sortable: false,
    }),
    column('health', '健康状况', {
      kind: 'select',
      options: C.HEALTH_STATUSES,
      nullable: true,
      editable: true,
      width: 110,
      sortable: false,
    }),
    column('labourCapacity', '劳动技能', {
      kind: 'select',
      options: C.LABOUR_CAPACITIES,
      nullable: true,
      editable: true,
      width: 140,
      sortable: false,
    }),
    column('workMonths', '务工月数', { kind: 'number', editable: true, width: 90, sortable: false }),
    column('phone', '联系电话', { editable: true, width: 130, sortable: false }),
  ];
}
