; Included by electron-builder's NSIS installer (electron-builder.yml nsis.include).
; Uninstalling keeps the ledger (database, backups, reports in %APPDATA%\township-ledger) unless the user says
; so: one question, default 否. An upgrade (the old version uninstalled by the new installer) and a silent
; uninstall never ask and keep the data; `Uninstall.exe /S --delete-app-data` removes it silently.
!macro customUnInstall
  ${ifNot} ${isUpdated}
    IfSilent township_ledger_keep_data
    SetShellVarContext current
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "是否同时删除台账数据？$\r$\n$\r$\n数据文件夹：$APPDATA\township-ledger$\r$\n（数据库、升级前的备份和导出的报表）$\r$\n$\r$\n选择“否”将保留数据，重新安装后可继续使用。" IDNO township_ledger_keep_data_all
      RMDir /r "$APPDATA\township-ledger"
    township_ledger_keep_data_all:
    SetShellVarContext all
    township_ledger_keep_data:
  ${endIf}
!macroend
