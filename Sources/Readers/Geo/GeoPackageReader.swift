import Foundation
import GRDB

/// Reads the areas of a GeoPackage (an SQLite file) through GRDB: the feature table from `gpkg_contents`,
/// its geometry column from `gpkg_geometry_columns`, each row's geometry blob and its code column. The
/// file is opened read-only and is untrusted: table and column names are quoted, and every blob is checked
/// (see ``GeoPackageGeometry``).
public enum GeoPackageReader {
    public static func read(path: String, codeColumn: String, layer: String? = nil) throws(GeoReadError)
        -> [BoundaryFeature]
    {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw GeoReadError(file: path, message: "the file does not exist or cannot be read")
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            return try queue.read { db in try read(db, path: path, codeColumn: codeColumn, layer: layer) }
        } catch let error as GeoReadError {
            throw error
        } catch let error as DatabaseError {
            throw GeoReadError(
                file: path,
                message: "not a readable GeoPackage (SQLite said: \(error.message ?? "\(error.resultCode)"))")
        } catch {
            throw GeoReadError(file: path, message: "not a readable GeoPackage (\(error))")
        }
    }

    static func read(_ db: Database, path: String, codeColumn: String, layer: String?) throws -> [BoundaryFeature] {
        guard try db.tableExists("gpkg_contents"), try db.tableExists("gpkg_geometry_columns") else {
            throw GeoReadError(
                file: path, message: "not a GeoPackage: gpkg_contents or gpkg_geometry_columns is missing")
        }
        let tables = try String?.fetchAll(
            db, sql: "SELECT CAST(table_name AS TEXT) FROM gpkg_contents WHERE data_type = 'features' ORDER BY 1"
        ).compactMap { $0 }
        let table: String
        if let layer {
            guard tables.contains(layer) else {
                throw GeoReadError(
                    file: path,
                    message: "there is no feature table '\(layer)'; it has \(tables.joined(separator: ", "))")
            }
            table = layer
        } else {
            guard tables.count == 1 else {
                throw GeoReadError(
                    file: path,
                    message: tables.isEmpty
                        ? "the GeoPackage has no feature table"
                        : "the GeoPackage has several feature tables (\(tables.joined(separator: ", "))); "
                            + "name one with layer:")
            }
            table = tables[0]
        }
        guard
            let columns = try Row.fetchOne(
                db, sql: "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?",
                arguments: [table])
        else {
            throw GeoReadError(file: path, message: "gpkg_geometry_columns names no geometry column for '\(table)'")
        }
        guard let geometryColumn = String.fromDatabaseValue(columns["column_name"]),
            let srsID = Int.fromDatabaseValue(columns["srs_id"])
        else {
            throw GeoReadError(
                file: path, message: "gpkg_geometry_columns lacks the column name or srs_id of '\(table)'")
        }
        let epsg = try epsgCode(db, srsID: srsID)
        guard epsg == Sweref99TM.epsg else {
            throw GeoReadError(
                file: path,
                message: "the boundaries are in EPSG:\(epsg.map(String.init) ?? "unknown") (srs_id \(srsID)); only "
                    + "SWEREF 99 TM (EPSG:3006) is read: reproject the file to EPSG:3006 (e.g. ogr2ogr -t_srs EPSG:3006)"
            )
        }
        guard try db.tableExists(table) else {
            throw GeoReadError(file: path, message: "the table '\(table)' is missing")
        }
        let tableColumns = try db.columns(in: table)
        guard tableColumns.contains(where: { $0.name == codeColumn }) else {
            throw GeoReadError(
                file: path,
                message: "the table '\(table)' has no column '\(codeColumn)'; it has "
                    + tableColumns.map(\.name).joined(separator: ", "))
        }
        let primaryKey = tableColumns.first(where: { $0.primaryKeyIndex == 1 })?.name
        let fidSQL = primaryKey?.quotedDatabaseIdentifier ?? "rowid"
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT \(fidSQL) AS fid, CAST(\(codeColumn.quotedDatabaseIdentifier) AS TEXT) AS code,
                    \(geometryColumn.quotedDatabaseIdentifier) AS geometry
                FROM \(table.quotedDatabaseIdentifier) ORDER BY 1
                """)
        var features: [BoundaryFeature] = []
        while let row = try rows.next() {
            let fid = "fid \(row["fid"] as DatabaseValue)"
            guard let code = (row["code"] as String?)?.trimmingCharacters(in: .whitespaces), !code.isEmpty else {
                throw GeoReadError(file: path, feature: fid, message: "the area code ('\(codeColumn)') is empty")
            }
            guard case .blob(let blob) = (row["geometry"] as DatabaseValue).storage else {
                throw GeoReadError(file: path, feature: fid, message: "the geometry is missing or not a blob")
            }
            let decoded: GeoPackageGeometry.Decoded
            do {
                decoded = try GeoPackageGeometry.decode([UInt8](blob))
            } catch {
                throw GeoReadError(file: path, feature: fid, message: error.message)
            }
            guard Int(decoded.srsID) == srsID else {
                throw GeoReadError(
                    file: path, feature: fid,
                    message: "the geometry's srs_id is \(decoded.srsID), the column's is \(srsID)")
            }
            guard let geometry = decoded.geometry else {
                throw GeoReadError(file: path, feature: fid, message: "the geometry is empty")
            }
            try Sweref99TM.checkPlausible(geometry, file: path, feature: fid)
            features.append(BoundaryFeature(code: code, feature: fid, geometry: geometry))
        }
        return features
    }

    /// The EPSG code of a GeoPackage srs_id, from `gpkg_spatial_ref_sys` (or the id itself without it).
    static func epsgCode(_ db: Database, srsID: Int) throws -> Int? {
        guard try db.tableExists("gpkg_spatial_ref_sys") else { return srsID }
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
                arguments: [srsID])
        else { return nil }
        guard String.fromDatabaseValue(row["organization"])?.uppercased() == "EPSG" else { return nil }
        return Int.fromDatabaseValue(row["organization_coordsys_id"])
    }
}
