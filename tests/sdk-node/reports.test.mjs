// Drives a running Tillpoint server with the official Amazon Pay Node SDK
// (@amazonpay/amazon-pay-api-sdk-nodejs 2.3.4, used unchanged) through its report methods:
// getReports, getReportById, getReportDocument, getReportSchedules, getReportScheduleById,
// createReport, createReportSchedule and cancelReportSchedule (supplementary spec §1), each with
// its success path and its main refusals, and the key order the SDK's own tests compare.
//
// Reports are processed on Tillpoint's sandbox clock: the tests move it through the operator
// endpoint instead of sleeping. Configuration as lifecycle.test.mjs (TILLPOINT_OPERATOR_TOKEN too).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import amazonPay from '@amazonpay/amazon-pay-api-sdk-nodejs';
import {
  TEST_TIMEOUT_MS, TIMESTAMP, advanceSandboxClock, checkout, expectApiError, expectExactKeys, expectOk,
  getSandboxClock, idempotent, json, loadConfig, sdkConfig,
} from './support.mjs';

const { WebStoreClient } = amazonPay;

/** The SDK's test deep-compares these, alphabetical (spec §1.2). */
const REPORT_KEYS = [
  'createdTime', 'endTime', 'processingEndTime', 'processingStartTime', 'processingStatus',
  'reportDocumentId', 'reportId', 'reportType', 'startTime',
];
const SCHEDULE_KEYS = ['nextReportCreationTime', 'reportScheduleId', 'reportType', 'scheduleFrequency'];
const SANDBOX_SETTLEMENT = '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SANDBOX_SETTLEMENT_DATA_';
const AUTHORIZATION = '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_AUTHORIZATION_DATA_';
const SETTLEMENT = '_GET_FLAT_FILE_OFFAMAZONPAYMENTS_SETTLEMENT_DATA_';
/** A report is ready 10 s of sandbox time after it is asked for. */
const PAST_PROCESSING_S = 11;

/** The API's basic timestamp of an ISO 8601 time: 2026-11-27T12:00:00.000Z → 20261127T120000Z. */
const basic = (iso) => new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
const hoursBefore = (iso, hours) => new Date(Date.parse(iso) - hours * 3600_000).toISOString();

function setup() {
  const config = loadConfig({ operator: true });
  return { config, client: new WebStoreClient(sdkConfig(config, {})) };
}

async function createReport(client, startTime, endTime, what = 'createReport') {
  const { data } = await expectOk(client.createReport({ reportType: SANDBOX_SETTLEMENT, startTime, endTime }, idempotent()),
    201, what);
  expectExactKeys(data, ['reportId'], what);
  assert.match(data.reportId, /^[1-9]\d{10}$/, `${what}: reportId is numeric`);
  return data.reportId;
}

function expectReport(report, what, { reportId, processingStatus }) {
  expectExactKeys(report, REPORT_KEYS, what);
  if (reportId) assert.equal(report.reportId, reportId, `${what}: reportId`);
  assert.equal(report.processingStatus, processingStatus, `${what}: processingStatus (body ${json(report)})`);
  assert.equal(report.reportType, SANDBOX_SETTLEMENT, `${what}: reportType`);
  for (const key of ['createdTime', 'startTime', 'endTime', 'processingStartTime']) {
    assert.match(report[key], TIMESTAMP, `${what}: ${key}`);
  }
  if (processingStatus === 'IN_PROGRESS') {
    assert.equal(report.processingEndTime, null, `${what}: processingEndTime while in progress`);
    assert.equal(report.reportDocumentId, null, `${what}: no document while in progress`);
  } else {
    assert.match(report.processingEndTime, TIMESTAMP, `${what}: processingEndTime`);
  }
  return report;
}

test('createReport → getReportById: IN_PROGRESS, then CANCELLED for a period without data', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { config, client } = setup();
  const { now } = await getSandboxClock(config);
  const reportId = await createReport(client, basic(hoursBefore(now, 72)), basic(hoursBefore(now, 48)));

  const { data: pending } = await expectOk(client.getReportById(reportId), 200, 'getReportById');
  expectReport(pending, 'getReportById (in progress)', { reportId, processingStatus: 'IN_PROGRESS' });
  await advanceSandboxClock(config, PAST_PROCESSING_S);
  const { data: done } = await expectOk(client.getReportById(reportId), 200, 'getReportById');
  expectReport(done, 'getReportById (processed)', { reportId, processingStatus: 'CANCELLED' });
  assert.equal(done.reportDocumentId, null, 'a cancelled report has no document');
});

test('getReports: no query, comma lists and nextToken paging', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { config, client } = setup();
  const { now } = await getSandboxClock(config);
  const first = await createReport(client, basic(hoursBefore(now, 30)), basic(hoursBefore(now, 29)));
  await advanceSandboxClock(config, 1);
  const second = await createReport(client, basic(hoursBefore(now, 29)), basic(hoursBefore(now, 28)));

  const { data: all } = await expectOk(client.getReports(), 200, 'getReports()');
  expectExactKeys(all, ['reports', 'nextToken'], 'getReports()');
  expectExactKeys(all.reports[0], REPORT_KEYS, 'getReports(): reports[0]');
  const ids = all.reports.map((r) => r.reportId);
  assert.ok(ids.indexOf(second) < ids.indexOf(first) && ids.includes(first), `newest first: ${json(ids)}`);

  const { data: filtered } = await expectOk(client.getReports({
    reportTypes: [SANDBOX_SETTLEMENT, AUTHORIZATION],
    processingStatuses: ['IN_PROGRESS'],
    pageSize: 1,
  }), 200, 'getReports(filters, pageSize 1)');
  assert.equal(filtered.reports.length, 1, 'one report per page');
  assert.equal(filtered.reports[0].reportId, second, 'the newest in progress first');
  assert.equal(typeof filtered.nextToken, 'string', 'a token for the next page');
  const { data: next } = await expectOk(client.getReports({ nextToken: filtered.nextToken }), 200, 'getReports(nextToken)');
  assert.equal(next.reports[0].reportId, first, 'the next page continues with the older report');
});

test('getReportDocument: a completed report downloads unsigned from its short-lived URL', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { config, client } = setup();
  const chargeAmount = { amount: '21.50', currencyCode: 'USD' };
  const session = await checkout(client, config, {
    paymentIntent: 'AuthorizeWithCapture', chargeAmount, merchantReferenceId: 'report-order-1',
  });
  const { now } = await advanceSandboxClock(config, 1);
  const reportId = await createReport(client, basic(hoursBefore(now, 1)), basic(now));
  await advanceSandboxClock(config, PAST_PROCESSING_S);

  const { data: report } = await expectOk(client.getReportById(reportId), 200, 'getReportById');
  expectReport(report, 'getReportById (completed)', { reportId, processingStatus: 'COMPLETED' });
  assert.match(report.reportDocumentId, /^amzn1\.tortuga\.0\.[0-9a-f-]{36}\.\d{14}$/, 'reportDocumentId');
  const { data: document } = await expectOk(client.getReportDocument(report.reportDocumentId), 200, 'getReportDocument');
  expectExactKeys(document, ['reportDocumentId', 'url', 'compressionAlgorithm'], 'getReportDocument');
  assert.equal(document.compressionAlgorithm, 'N/A', 'compressionAlgorithm');
  const download = await fetch(document.url);
  assert.equal(download.status, 200, 'the URL is fetched with a plain GET');
  const csv = await download.text();
  assert.match(csv.split('\r\n')[0], /^TransactionPostedDate,Environment,TransactionType,/, 'the header row');
  assert.ok(csv.split('\r\n').some((line) => line.includes(session.chargeId) && line.includes(',Capture,')
    && line.includes(',21.50,USD,') && line.includes('report-order-1')), `the capture is listed:\n${csv}`);
});

test('the SDK README\'s authorization report in sandbox; refusals: settlement type, unknown ids, bad filters', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { config, client } = setup();
  const { now } = await getSandboxClock(config);
  // Copied as it is from the SDK's README and tests: Tillpoint's sandbox offers every type that may be asked for.
  await expectOk(client.createReport({
    reportType: AUTHORIZATION, startTime: '20230618T150630Z', endTime: '20230911T150350Z',
  }, idempotent()), 201, 'createReport(the README payload)');
  await expectApiError(client.createReport({
    reportType: SETTLEMENT, startTime: basic(hoursBefore(now, 2)), endTime: basic(hoursBefore(now, 1)),
  }, idempotent()), 400, 'InvalidParameterValue', 'createReport of the settlement type, made per settlement only');
  await expectApiError(client.createReport({
    reportType: SANDBOX_SETTLEMENT, startTime: basic(hoursBefore(now, 1)), endTime: basic(hoursBefore(now, -1)),
  }, idempotent()), 400, 'InvalidParameterValue', 'createReport ending in the future');
  await expectApiError(client.getReportById('59007019641'), 404, 'ResourceNotFound', 'getReportById(unknown)');
  await expectApiError(client.getReportDocument('amzn1.tortuga.0.00000000-0000-0000-0000-000000000000.00000000000000'),
    404, 'ResourceNotFound', 'getReportDocument(unknown)');
  await expectApiError(client.getReports({ processingStatuses: ['DONE'] }), 400, 'InvalidParameterValue',
    'getReports(unknown status)');
  await expectApiError(client.getReportScheduleById('50000019441'), 404, 'ResourceNotFound', 'getReportScheduleById(unknown)');
  await expectApiError(client.cancelReportSchedule('50000019441'), 404, 'ResourceNotFound', 'cancelReportSchedule(unknown)');
});

test('report schedules: create (past time accepted), list, get, replace, cancel', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { client } = setup();
  // The SDK's own test payload: a creation time in 2023 is still accepted.
  const payload = {
    reportType: SANDBOX_SETTLEMENT, scheduleFrequency: 'PT84H', nextReportCreationTime: '20230618T150630Z',
    deleteExistingSchedule: false,
  };
  const { data: created } = await expectOk(client.createReportSchedule(payload, idempotent()), 201, 'createReportSchedule');
  expectExactKeys(created, ['reportScheduleId'], 'createReportSchedule');
  const id = created.reportScheduleId;

  const { data: list } = await expectOk(client.getReportSchedules(), 200, 'getReportSchedules()');
  expectExactKeys(list, ['reportSchedules'], 'getReportSchedules()');
  expectExactKeys(list.reportSchedules[0], SCHEDULE_KEYS, 'getReportSchedules(): reportSchedules[0]');
  const { data: ofType } = await expectOk(client.getReportSchedules([SANDBOX_SETTLEMENT, AUTHORIZATION]), 200,
    'getReportSchedules(types)');
  assert.deepEqual(ofType.reportSchedules.map((s) => s.reportScheduleId), [id], 'the schedule of the type');
  const { data: schedule } = await expectOk(client.getReportScheduleById(id), 200, 'getReportScheduleById');
  expectExactKeys(schedule, SCHEDULE_KEYS, 'getReportScheduleById');
  assert.equal(schedule.scheduleFrequency, 'PT84H', 'scheduleFrequency');
  assert.match(schedule.nextReportCreationTime, TIMESTAMP, 'nextReportCreationTime');

  await expectApiError(client.createReportSchedule(payload, idempotent()), 400, 'InvalidRequest',
    'createReportSchedule of a type already scheduled');
  await expectApiError(client.createReportSchedule({ ...payload, scheduleFrequency: 'PT1M' }, idempotent()), 400,
    'InvalidParameterValue', 'createReportSchedule with an unknown frequency');
  const { data: replaced } = await expectOk(client.createReportSchedule({ ...payload, deleteExistingSchedule: true },
    idempotent()), 201, 'createReportSchedule(deleteExistingSchedule)');
  assert.notEqual(replaced.reportScheduleId, id, 'a new schedule replaces the old');
  await expectApiError(client.getReportScheduleById(id), 404, 'ResourceNotFound', 'the replaced schedule is gone');

  await expectOk(client.cancelReportSchedule(replaced.reportScheduleId), 200, 'cancelReportSchedule');
  await expectApiError(client.cancelReportSchedule(replaced.reportScheduleId), 404, 'ResourceNotFound',
    'cancelReportSchedule twice');
});
