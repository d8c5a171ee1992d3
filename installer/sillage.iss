; Inno Setup script for the Windows installer of Sillage (SPEC §12).
; Build on Windows, after the PyInstaller build (docs/guide-administrateur.md, « Construire
; l'installateur ») :
;     py -m venv .venv-build
;     .venv-build\Scripts\pip install . "pyinstaller>=6.6"
;     .venv-build\Scripts\pyinstaller --noconfirm --distpath installer\dist --workpath installer\build installer\sillage.spec
;     iscc installer\sillage.iss
; Output: installer\Output\sillage-0.1.0-installation.exe
;
; The program goes to the user's program folder without administrator rights; the data lives
; in %LOCALAPPDATA%\Sillage (per user) and is never touched by installing, updating or
; uninstalling: a workspace is removed only by the organisation itself.

#define AppVersion "0.1.0"

[Setup]
AppId={{6C1E7B2A-4F0D-4C55-9D6B-5A1E2C3B9F10}
AppName=Sillage
AppVersion={#AppVersion}
AppVerName=Sillage {#AppVersion}
AppPublisher=Sillage
DefaultDirName={autopf}\Sillage
DefaultGroupName=Sillage
DisableProgramGroupPage=yes
OutputDir=Output
OutputBaseFilename=sillage-{#AppVersion}-installation
Compression=lzma2
SolidCompression=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern
UninstallDisplayName=Sillage
UninstallDisplayIcon={app}\sillage.exe
CloseApplications=yes

[Languages]
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Files]
Source: "dist\sillage\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{group}\Sillage"; Filename: "{app}\sillage.exe"
Name: "{group}\Sillage — démonstration (données fictives)"; Filename: "{app}\sillage.exe"; Parameters: "--workspace ""{localappdata}\Sillage-demo"""
Name: "{group}\Désinstaller Sillage"; Filename: "{uninstallexe}"

[Run]
Filename: "{app}\sillage.exe"; Description: "Ouvrir Sillage"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself wrote beside itself: never the data folder.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"
