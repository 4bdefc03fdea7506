/**
 * The Chinese application menu as data (type-only electron import, so Node tests can inspect it).
 */
import type { MenuItemConstructorOptions } from 'electron';
import { APP_TITLE } from './paths.ts';

export interface MenuActions {
  about(): void;
  /** Development builds add 开发者工具. */
  devTools: boolean;
}

export function menuTemplate(actions: MenuActions): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { label: '重新加载', role: 'reload' },
    { type: 'separator' },
    { label: '实际大小', role: 'resetZoom' },
    { label: '放大', role: 'zoomIn' },
    { label: '缩小', role: 'zoomOut' },
    { type: 'separator' },
    { label: '全屏', role: 'togglefullscreen' },
  ];
  if (actions.devTools) view.push({ type: 'separator' }, { label: '开发者工具', role: 'toggleDevTools' });
  return [
    { label: '文件', submenu: [{ label: '退出', role: 'quit' }] },
    {
      label: '编辑',
      submenu: [
        { label: '撤销', role: 'undo' },
        { label: '重做', role: 'redo' },
        { type: 'separator' },
        { label: '剪切', role: 'cut' },
        { label: '复制', role: 'copy' },
        { label: '粘贴', role: 'paste' },
        { label: '全选', role: 'selectAll' },
      ],
    },
    { label: '视图', submenu: view },
    { label: '帮助', submenu: [{ label: `关于 ${APP_TITLE}`, click: () => actions.about() }] },
  ];
}
