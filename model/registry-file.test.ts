import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VesselRegistry } from './registry.js';
import type { VesselFile } from './vessel.js';
import { parseCsv } from './registry-csv.js';
import { parseRegistry, registryFormatOf, type RegistryParse, type RegistryProblem } from './registry-file.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/registry/${name}`, import.meta.url), 'utf8');

const HEADER = 'vesselId,name,registryNo,mmsi,beidouCard,fleetId,gear,lengthM,homePort,owner,ownerPhone,liaison,liaisonPhone,shipType';

function files(r: RegistryParse): VesselFile[] {
  if (!r.ok) throw new Error(r.detail);
  return r.value;
}

function problems(r: RegistryParse): RegistryProblem[] {
  if (r.ok) throw new Error('expected problems');
  return [...r.problems];
}

describe('registry file: the example fixtures', () => {
  it('CSV: five vessels, vesselIds computed, Chinese text and quoted fields intact', () => {
    const f = files(parseRegistry(fixture('zhoushan-example.csv'), 'csv'));
    expect(f.map((v) => v.vesselId)).toEqual(['412412345', 'bd2000001', '413456789', 'bd2000002', '412420001']);
    expect(f[0]).toEqual({
      vesselId: '412412345',
      name: '浙普渔68123',
      registryNo: '浙普渔68123',
      mmsi: 412412345,
      beidouCard: '1234567',
      fleetId: 'PT-SJM-017',
      gear: 'pair-trawl',
      lengthM: 42.5,
      homePort: '沈家门',
      owner: '张海生',
      ownerPhone: '138 0580 0001',
      liaison: '李国强',
      liaisonPhone: '0580-3012345',
      shipType: 30,
    });
    expect(f[2]!.owner).toBe('舟山市岱山县衢山渔业合作社, 第三生产队');
    expect(f[4]!.owner).toBe('舟山 "海通" 水产冷链有限公司');
    expect(f[3]!.shipType).toBeUndefined();
    expect('shipType' in f[3]!).toBe(false);
  });

  it('JSON gives the same files as the CSV', () => {
    expect(files(parseRegistry(fixture('zhoushan-example.json'), 'json'))).toEqual(files(parseRegistry(fixture('zhoushan-example.csv'), 'csv')));
  });

  it('loads into a VesselRegistry: one hull for MMSI 412412345 and card 1234567, fleets indexed', () => {
    const reg = new VesselRegistry(files(parseRegistry(fixture('zhoushan-example.csv'), 'csv')));
    expect(reg.byCard('1234567' as never)?.vesselId).toBe('412412345');
    expect(reg.byMmsi(412412345 as never)?.name).toBe('浙普渔68123');
    expect(reg.fleet('PT-SJM-017' as never).map((v) => v.vesselId)).toEqual(['412412345', 'bd2000001']);
  });

  it("the liaison official's username (定人联船, 联船干部账号) binds him to the vessel; one that is no username is a problem of its row", () => {
    const ok = files(parseRegistry('name,mmsi,联船干部,联船干部账号\n浙岱渔1,412000001,陈海东,chen.hd\n浙岱渔2,412000002,,\n', 'csv'));
    expect(ok.map((f) => [f.vesselId, f.liaison, f.liaisonUser])).toEqual([
      ['412000001', '陈海东', 'chen.hd'],
      ['412000002', undefined, undefined],
    ]);
    expect(problems(parseRegistry('name,mmsi,liaisonUser\n浙岱渔1,412000001,陈 海东\n', 'csv')).map((p) => [p.row, p.field])).toEqual([[2, 'liaisonUser']]);
  });

  it('format from the file name', () => {
    expect(registryFormatOf('a/b/Vessels.CSV')).toBe('csv');
    expect(registryFormatOf('r.json')).toBe('json');
    expect(registryFormatOf('r.xlsx')).toBeUndefined();
  });
});

describe('registry file: CSV details', () => {
  it('BOM, CRLF, a quoted line break, blank lines, Chinese headers', () => {
    const text =
      '\ufeff船名,船号,MMSI,北斗卡号,编组,船东电话\r\n' +
      '"浙普渔\r\n1号",浙普渔00001,412000001,,PT-1,0580-1234567\r\n' +
      '\r\n' +
      '浙普渔2号,浙普渔00002,,0123456,PT-1,\r\n';
    const f = files(parseRegistry(text, 'csv'));
    expect(f).toEqual([
      { vesselId: '412000001', name: '浙普渔\r\n1号', registryNo: '浙普渔00001', mmsi: 412000001, fleetId: 'PT-1', ownerPhone: '0580-1234567' },
      { vesselId: 'bd0123456', name: '浙普渔2号', registryNo: '浙普渔00002', beidouCard: '0123456', fleetId: 'PT-1' },
    ]);
  });

  it('the CSV reader reports bad quoting with its line and keeps going', () => {
    const r = parseCsv('a,b\n"x"y,z\nq"r,s\n"open,t\n');
    expect(r.problems.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(r.records.map((x) => x.line)).toEqual([1, 2, 3, 4]);
  });

  it('many problems at once, each naming its row and field', () => {
    const text = [
      HEADER,
      // row 2: fine
      '412412345,浙普渔68123,浙普渔68123,412412345,1234567,PT-1,pair-trawl,42.5,沈家门,张海生,13805800001,李国强,0580-3012345,30',
      // row 3: MMSI of 8 digits, phone with letters, length not a number
      ',浙普渔68124,浙普渔68124,41241234,,PT-1,pair-trawl,long,沈家门,张海生,call me,李国强,0580-3012345,',
      // row 4: no name; card already on row 2
      ',,浙普渔68125,,1234567,PT-1,,,,,,,,',
      // row 5: vesselId does not follow the rule; shipType out of range
      'bd9999,浙普渔68126,浙普渔68126,412000126,,PT-1,,,,,,,,300',
      // row 6: neither MMSI nor card; registry number already on row 2
      ',浙普渔68127,浙普渔68123,,,PT-1,,,,,,,,',
      // row 7: too few fields
      ',浙普渔68128,浙普渔68128,412000128',
    ].join('\n');
    const p = problems(parseRegistry(text, 'csv'));
    const brief = p.map((x) => `${x.row} ${x.field ?? '-'} ${x.code}`);
    expect(brief).toEqual(
      expect.arrayContaining([
        '3 mmsi registry.field',
        '3 ownerPhone registry.field',
        '3 lengthM registry.field',
        '4 name registry.required',
        '4 beidouCard registry.duplicate',
        '5 vesselId registry.identity',
        '5 shipType registry.field',
        '6 mmsi registry.identity',
        '6 registryNo registry.duplicate',
        '7 - registry.format',
      ]),
    );
    expect(brief).toHaveLength(10);
    const byKey = new Map(p.map((x) => [`${x.row} ${x.field ?? '-'}`, x.message]));
    expect(byKey.get('3 mmsi')).toBe('row 3, mmsi: "41241234" is not an MMSI: 9 digits expected');
    expect(byKey.get('4 beidouCard')).toBe('row 4, beidouCard: 1234567 is already used by row 2');
    expect(byKey.get('5 vesselId')).toContain('"bd9999" should be "412000126"');
    expect(byKey.get('7 -')).toBe('row 7: 4 fields, the header has 14');
    const r = parseRegistry(text, 'csv');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('registry.invalid');
      expect(r.detail).toMatch(/^10 problem\(s\):\nrow 3, mmsi: /);
    }
  });

  it('a row spanning lines is named by spreadsheet row and line', () => {
    const text = `name,mmsi\n"two\nlines",412000001\nbad,123\n`;
    const p = problems(parseRegistry(text, 'csv'));
    expect(p.map((x) => x.message)).toEqual(['row 3 (line 4), mmsi: "123" is not an MMSI: 9 digits expected']);
  });

  it('header problems: unknown and repeated columns, no name column', () => {
    const p = problems(parseRegistry('mmsi,mmis,MMSI\n412000001,,\n', 'csv'));
    expect(p.map((x) => x.message)).toEqual([
      expect.stringContaining('row 1 (header), column 2: unknown column "mmis"'),
      'row 1 (header), column 3: mmsi appears twice',
      'row 1 (header): no name column',
      'row 2, name: required, but empty',
    ]);
  });

  it('text that was not UTF-8 says so', () => {
    const p = problems(parseRegistry('name,mmsi\n\ufffd\ufffd,412000001\n', 'csv'));
    expect(p[0]!.message).toMatch(/line 2: text is not UTF-8/);
  });

  it('an empty file', () => {
    expect(problems(parseRegistry('', 'csv'))[0]!.code).toBe('registry.format');
  });
});

describe('registry file: JSON details', () => {
  it('numbers for MMSI and card, nulls as unknown; explicit empty phone is a problem', () => {
    const good = files(parseRegistry(JSON.stringify([{ name: 'A', mmsi: 412000001, beidouCard: 2000009, owner: null }]), 'json'));
    expect(good).toEqual([{ vesselId: '412000001', name: 'A', mmsi: 412000001, beidouCard: '2000009' }]);
    const p = problems(
      parseRegistry(
        JSON.stringify({
          vessels: [
            { name: 'A', mmsi: 412000001 },
            { name: 'B', mmsi: 1234, ownerPhone: '' },
            'not an object',
            { name: 'D', beidouCard: 'bd2000009', colour: 'red', lengthM: true },
            { name: 'E', mmsi: '412000001' },
          ],
        }),
        'json',
      ),
    );
    expect(p.map((x) => x.message)).toEqual([
      'vessels[1], ownerPhone: empty; leave it out when unknown',
      'vessels[1], mmsi: 1234 is not an MMSI: 9 digits expected',
      'vessels[2]: expected an object, got string',
      expect.stringContaining('vessels[3]: unknown field "colour"'),
      'vessels[3], lengthM: expected text or a number, got boolean',
      'vessels[4], mmsi: 412000001 is already used by vessels[0]',
    ]);
    expect(p.map((x) => x.row)).toEqual([2, 2, 3, 4, 4, 5]);
  });

  it('bad JSON and a wrong top level', () => {
    expect(problems(parseRegistry('[{"name": }]', 'json'))[0]!.message).toMatch(/^not valid JSON/);
    expect(problems(parseRegistry('{"ships": []}', 'json'))[0]!.message).toMatch(/expected an array/);
  });
});
