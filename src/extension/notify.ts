/**
 * The extension's notifications: vscode.window.show{Information,Warning,Error}Message with the message (and a modal's
 * detail) made plain first (see notification-text.ts), so a log can never put a command link in front of the user.
 * Every notification of the extension goes through here (a unit test checks that no other file calls the API directly).
 */
import * as vscode from 'vscode';
import { plainNotificationText } from './notification-text';

type Rest<T extends string> = (T | vscode.MessageOptions)[];
type RawShow = (message: string, ...rest: unknown[]) => Thenable<string | undefined>;

function plainRest<T extends string>(rest: Rest<T>): unknown[] {
  return rest.map((r) => (typeof r === 'object' && r !== null && typeof r.detail === 'string' ? { ...r, detail: plainNotificationText(r.detail) } : r));
}

export function showInfo<T extends string>(message: string, ...items: T[]): Thenable<T | undefined>;
export function showInfo<T extends string>(message: string, options: vscode.MessageOptions, ...items: T[]): Thenable<T | undefined>;
export function showInfo<T extends string>(message: string, ...rest: Rest<T>): Thenable<T | undefined> {
  return (vscode.window.showInformationMessage as RawShow)(plainNotificationText(message), ...plainRest(rest)) as Thenable<T | undefined>;
}

export function showWarning<T extends string>(message: string, ...items: T[]): Thenable<T | undefined>;
export function showWarning<T extends string>(message: string, options: vscode.MessageOptions, ...items: T[]): Thenable<T | undefined>;
export function showWarning<T extends string>(message: string, ...rest: Rest<T>): Thenable<T | undefined> {
  return (vscode.window.showWarningMessage as RawShow)(plainNotificationText(message), ...plainRest(rest)) as Thenable<T | undefined>;
}

export function showErrorText<T extends string>(message: string, ...items: T[]): Thenable<T | undefined>;
export function showErrorText<T extends string>(message: string, options: vscode.MessageOptions, ...items: T[]): Thenable<T | undefined>;
export function showErrorText<T extends string>(message: string, ...rest: Rest<T>): Thenable<T | undefined> {
  return (vscode.window.showErrorMessage as RawShow)(plainNotificationText(message), ...plainRest(rest)) as Thenable<T | undefined>;
}
